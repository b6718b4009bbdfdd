"""Personal data: normalise and validate ID numbers and phones, encrypt, hash and mask them.

ID numbers (GB 11643) and phones are personal information under PIPL. They are
stored encrypted (AES-256-GCM, settings.FIELD_ENCRYPTION_KEY) with a keyed hash
(HMAC-SHA256, settings.FIELD_HASH_KEY) beside each for exact lookup and
uniqueness, and shown masked unless a role may see them whole. Error messages
never repeat the value: they end up in logs and error workbooks.
"""

import base64
import binascii
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial
from typing import Any, NamedTuple

import phonenumbers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils import timezone
from phonenumbers import PhoneMetadata
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

# Zero-width and formatting characters that survive NFKC and hide in pasted cells.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Separators people type inside numbers: spaces of every kind and dashes of every kind.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff0d]+")
_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff0d()（）]+")
# ASCII digits only: NFKC leaves the digits of other scripts (٣, ३ …) as they are, and \d and
# int() would take them, a second spelling of one person.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MASK_CHAR = "*"


class PersonalDataError(ValueError):
    """A value that cannot be accepted; the message is Chinese and never repeats the value."""


def text_normalise(value: object) -> str:
    """NFKC (full-width digits and letters become ASCII), invisible characters dropped, trimmed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Most cells are already normal: checking is far cheaper than normalising (100,000 rows).
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _HAS_INVISIBLE.search(text):
            text = text.translate(_INVISIBLE)
    return text.strip()


# ---------------------------------------------------------------- ID numbers


class IdNumber(NamedTuple):
    """A valid resident ID number and what it says about its holder (immutable; a tuple
    because a roster builds a hundred thousand of them)."""

    value: str
    birth_date: date
    gender: str  # "M" or "F": the 17th digit is odd for men
    region_known: bool  # False: valid, but the region code is not in the stdnum table

    @property
    def warning(self) -> str:
        if self.region_known:
            return ""
        return "身份证号前六位地区码不在行政区划表中（可能是旧码或新设区县），已接受，请核对"


def id_number_clean(raw: object) -> str:
    """The canonical spelling of what was typed: NFKC, no separators, upper-case X."""
    if type(raw) is str and raw.isascii() and raw.isalnum():
        # Most cells: nothing to normalise, trim or strip (a roster's 100,000 IDs: 0.08 s).
        return raw.upper()
    return _SEPARATORS.sub("", text_normalise(raw)).upper()


@lru_cache(maxsize=8192)
def _region_known(code_and_year: str) -> bool:
    """Whether stdnum's table knows the region code (first six digits) in that year (next four).

    stdnum's table lacks valid codes (new districts such as 320707, retired old
    ones), so an unknown code is only a warning, never a rejection.
    """
    try:
        ric.get_birth_place(f"{code_and_year}01010000")
    except StdnumError:
        return False
    return True


@lru_cache(maxsize=65536)
def _id_birth_date(digits: str) -> date | None:
    """The date of an ID's YYYYMMDD digits, or None where there is no such day. Cached:
    a roster's hundred thousand IDs share a few tens of thousands of birthdays."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def id_number_parse(raw: object, *, today: date | None = None) -> IdNumber:
    """Normalise and validate a resident ID number (GB 11643), or raise PersonalDataError."""
    value = id_number_clean(raw)
    if not _ID_SHAPE.fullmatch(value):  # one test for the usual case, then which rule failed
        if not value:
            raise PersonalDataError("身份证号不能为空")
        if len(value) in (15, 17) and value.isdigit():
            raise PersonalDataError(
                f"身份证号只有 {len(value)} 位，应为 18 位（15 位旧号请换成新号）"
            )
        if len(value) != 18:
            raise PersonalDataError(f"身份证号应为 18 位，这里是 {len(value)} 位")
        raise PersonalDataError("身份证号只能是 18 位数字，最后一位可以是 X")
    if ric.calc_check_digit(value) != value[-1]:
        raise PersonalDataError("身份证号校验位不对，请核对每一位数字")
    birth = _id_birth_date(value[6:14])
    if birth is None:
        raise PersonalDataError("身份证号中的出生日期不存在（第 7-14 位）")
    if birth > (today or timezone.localdate()):
        raise PersonalDataError("身份证号中的出生日期晚于今天")
    if birth.year < 1870:
        raise PersonalDataError("身份证号中的出生年份不合理（第 7-10 位）")
    gender = "F" if value[16] in "02468" else "M"  # ASCII digits here: the shape said so
    return IdNumber(value, birth, gender, _region_known(value[:10]))


def id_number_mask(value: str) -> str:
    """320707********123X: the region shown, the birth date and sequence hidden."""
    if len(value) < 10:
        return _MASK_CHAR * len(value)
    return value[:6] + _MASK_CHAR * (len(value) - 10) + value[-4:]


# ---------------------------------------------------------------- phones


def phone_parse(raw: object) -> str:
    """Normalise a phone to E.164 (+8613800138000), or raise PersonalDataError."""
    # Most cells: a bare mobile, nothing to normalise (a roster's 90,000 phones: 0.07 s).
    bare = type(raw) is str and len(raw) == 11 and raw.isascii() and raw.isdigit()
    if bare and raw[0] == "1" and _cn_mobile_pattern().fullmatch(raw):
        return "+86" + raw
    text = _PHONE_SEPARATORS.sub("", text_normalise(raw))
    if not text:
        raise PersonalDataError("手机号不能为空")
    # A number that went through a float (13800138000.0) or carries letters is
    # corrupted: guessing which digits were meant is how wrong numbers get stored.
    if not _PHONE_SHAPE.fullmatch(text):
        raise PersonalDataError("手机号只能包含数字（不能有小数点、字母或其他符号）")
    mobile = _CN_MOBILE.fullmatch(text)
    if mobile and _cn_mobile_pattern().fullmatch(mobile[1]):
        # The fast path for a roster of 100,000 mobiles; the same answer as phonenumbers.
        return "+86" + mobile[1]
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise PersonalDataError("手机号无法识别") from None
    if not phonenumbers.is_valid_number(number):
        raise PersonalDataError("手机号无效：请填写 11 位手机号或带区号的固定电话")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_PHONE_SHAPE = re.compile(r"\+?\d+")
# ASCII digits, as for ID numbers: a mobile typed partly in another script's digits goes to
# phonenumbers, which reads them as digits and answers in ASCII.
_CN_MOBILE = re.compile(r"(?:\+?86)?(1[0-9]{10})")


@lru_cache(maxsize=1)
def _cn_mobile_pattern() -> re.Pattern:
    # phonenumbers' own metadata for Chinese mobiles, compiled once: the answer
    # phonenumbers would give, without its per-call parsing (a test holds them equal).
    return re.compile(PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)


def phone_display(e164: str) -> str:
    """How a Chinese user writes the number: 13800138000, 051887654321; foreign ones as E.164."""
    if e164.startswith("+86"):
        national = e164[3:]
        return national if national.startswith("1") else "0" + national
    return e164


def phone_mask(e164: str) -> str:
    """138****8000: the first three and last four digits shown."""
    shown = phone_display(e164)
    if len(shown) <= 7:
        return _MASK_CHAR * len(shown)
    return shown[:3] + _MASK_CHAR * (len(shown) - 7) + shown[-4:]


def phone_last_digits(e164: str) -> str:
    """The last four digits, stored in the clear for search by tail number."""
    return e164[-4:]


def looks_masked(value: object) -> bool:
    """Whether a submitted value is a mask sent back (it must then change nothing)."""
    return _MASK_CHAR in text_normalise(value) or "＊" in str(value or "")


# ---------------------------------------------------------------- encryption and hashing

_NONCE_BYTES = 12
_TOKEN_PREFIX = "g1:"  # key generation 1: a future key rotation adds g2 beside it


def _cipher() -> AESGCM:
    return _cipher_for(settings.FIELD_ENCRYPTION_KEY)


@lru_cache(maxsize=4)
def _cipher_for(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(plaintext: str) -> str:
    """AES-256-GCM with a fresh random nonce, as printable text for a CharField."""
    return _encrypt_with(_cipher(), plaintext)


def encrypter() -> Callable[[str], str]:
    """`encrypt` for many values: the key is read from the settings once, not per value
    (a roster encrypts two hundred thousand)."""
    return partial(_encrypt_with, _cipher())


def _encrypt_with(cipher: AESGCM, plaintext: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode(), None)
    # binascii directly: base64.b64encode's wrapper was a tenth of a roster's encryption.
    return _TOKEN_PREFIX + binascii.b2a_base64(nonce + sealed, newline=False).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of `encrypt`; a wrong key or a tampered value raises."""
    if not token.startswith(_TOKEN_PREFIX):
        raise ValueError("unknown ciphertext format")
    raw = base64.b64decode(token[len(_TOKEN_PREFIX) :])
    return _cipher().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """AES-256-GCM for a binary payload (an import's parsed rows): nonce + ciphertext."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + _cipher().encrypt(nonce, data, None)


def decrypt_bytes(data: bytes) -> bytes:
    return _cipher().decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], None)


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value, hex: exact lookup without storing the value."""
    return _keyed_hash_with(_keyed_hash_start(settings.FIELD_HASH_KEY), value)


def keyed_hasher() -> Callable[[str], str]:
    """`keyed_hash` for many values: the key is read from the settings once, not per
    value (a third of the cost of hashing a roster's hundred thousand IDs)."""
    return partial(_keyed_hash_with, _keyed_hash_start(settings.FIELD_HASH_KEY))


def _keyed_hash_with(start: tuple[Any, Any], value: str) -> str:
    inner, outer = start[0].copy(), start[1].copy()
    inner.update(value.encode())
    outer.update(inner.digest())
    return outer.hexdigest()


@lru_cache(maxsize=4)
def _keyed_hash_start(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256 (RFC 2104) as its two SHA-256 states with the padded key already hashed.

    Exactly what `hmac.new(key, value, sha256)` gives (a test holds them equal for any
    value); copying the two hashlib states directly skips the hmac module's Python
    wrapper, which was a third of the cost of the two hundred thousand hashes of a roster.
    """
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(key.translate(_HMAC_INNER_PAD))
    outer = hashlib.sha256(key.translate(_HMAC_OUTER_PAD))
    return inner, outer


# RFC 2104's ipad and opad as byte translation tables: key XOR 0x36…, key XOR 0x5C….
_HMAC_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_HMAC_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


def id_number_make(region: str, birth: date, sequence: int) -> str:
    """A valid ID number for a region code, birth date and 3-digit sequence (demo and tests)."""
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


# ---------------------------------------------------------------- names and addresses


def name_mask(name: str) -> str:
    """张*兰 / 张* / 欧阳**: the family name and, for three or more, the last character shown."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + _MASK_CHAR
    return name[0] + _MASK_CHAR * (len(name) - 2) + name[-1]


def address_mask(address: str) -> str:
    """三店村3组** : the village and group kept, the house number hidden."""
    address = (address or "").strip()
    if len(address) <= 4:
        return address[:1] + _MASK_CHAR * max(len(address) - 1, 0)
    keep = max(len(address) - 4, (len(address) + 1) // 2)
    return address[:keep] + _MASK_CHAR * min(len(address) - keep, 4)
