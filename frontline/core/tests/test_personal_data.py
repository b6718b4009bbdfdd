"""ID number and phone rules (SECURITY 10, 11, 12, 15), encryption, hashing and masks."""

import hashlib
import hmac
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.core.personal_data import (
    PersonalDataError,
    decrypt,
    encrypt,
    encrypter,
    id_number_make,
    id_number_mask,
    id_number_parse,
    keyed_hash,
    keyed_hasher,
    looks_masked,
    phone_mask,
    phone_parse,
)

KNOWN_REGIONS = ["320721", "110101", "320705", "440106", "510104"]

valid_ids = st.builds(
    id_number_make,
    st.sampled_from([*KNOWN_REGIONS, "320707"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


noise = st.sampled_from([" ", "-", "\u200b", "\ufeff", "\u3000", "－", "\u2060", "  "])


@st.composite
def messy_spellings(draw, value: str) -> str:
    """The same ID as people paste it: full-width, spaced, hyphenated, with zero-width marks."""
    chars = []
    for char in value:
        if draw(st.booleans()):
            char = _full_width(char)
        if char in "Xx" or char == "Ｘ":
            char = draw(st.sampled_from(["X", "x", "Ｘ", "ｘ"]))
        chars.append(char)
        if draw(st.integers(0, 4)) == 0:
            chars.append(draw(noise))
    return draw(noise) + "".join(chars) + draw(st.sampled_from(["", " ", "\u200b"]))


@given(data=st.data(), value=valid_ids)
def test_every_messy_spelling_normalises_to_one_id(data, value):
    messy = data.draw(messy_spellings(value))
    assert id_number_parse(messy).value == value


@given(value=valid_ids, position=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_digit_typo_is_a_checksum_or_date_error(value, position, delta):
    digits = list(value)
    digits[position] = str((int(digits[position]) + delta) % 10)
    typo = "".join(digits)
    with pytest.raises(PersonalDataError):
        id_number_parse(typo)


@given(value=valid_ids)
def test_birth_date_and_gender_come_from_the_id(value):
    parsed = id_number_parse(value)
    assert parsed.birth_date.strftime("%Y%m%d") == value[6:14]
    assert parsed.gender == ("M" if int(value[16]) % 2 else "F")


@given(value=valid_ids, cut=st.sampled_from([15, 17]))
def test_15_and_17_digit_values_are_errors(value, cut):
    with pytest.raises(PersonalDataError, match=f"只有 {cut} 位"):
        id_number_parse(value[:cut])


def test_month_13_is_an_error_even_with_a_right_checksum():
    body = "32072119901301123"
    from stdnum.cn.ric import calc_check_digit

    with pytest.raises(PersonalDataError, match="出生日期不存在"):
        id_number_parse(body + calc_check_digit(body + "0"))


def test_a_birth_date_after_today_is_an_error():
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(PersonalDataError, match="晚于今天"):
        id_number_parse(id_number_make("320721", tomorrow, 12))


def test_a_wrong_checksum_is_an_error_that_does_not_repeat_the_number():
    with pytest.raises(PersonalDataError) as caught:
        id_number_parse("320721199001011230")
    assert "校验位" in str(caught.value)
    assert "320721" not in str(caught.value)


def test_an_unknown_region_code_is_accepted_with_a_warning():
    parsed = id_number_parse("440524188001010014")
    assert parsed.value == "440524188001010014"
    assert not parsed.region_known
    assert "地区码" in parsed.warning


def test_a_known_region_code_has_no_warning():
    assert id_number_parse(id_number_make("320721", date(1985, 5, 5), 7)).warning == ""


def test_lower_case_x_becomes_upper_case():
    value = next(
        id_number_make("320721", date(1990, 1, 1), s)
        for s in range(1000)
        if id_number_make("320721", date(1990, 1, 1), s).endswith("X")
    )
    assert id_number_parse(value.lower()).value == value


def test_letters_inside_the_number_are_an_error():
    with pytest.raises(PersonalDataError, match="只能是 18 位数字"):
        id_number_parse("32072A199001011237")


# Decimal digits of other scripts: NFKC leaves them as they are, and a regex \d and int()
# take them, so without an ASCII-only shape one person could be registered twice.
other_digits = st.sampled_from([0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0x17E0])


@given(value=valid_ids, zero=other_digits, data=st.data())
def test_digits_of_other_scripts_are_an_error_not_a_second_spelling(value, zero, data):
    positions = data.draw(st.sets(st.integers(0, 16), min_size=1))
    typed = "".join(chr(zero + int(c)) if i in positions else c for i, c in enumerate(value))
    with pytest.raises(PersonalDataError, match="只能是 18 位数字"):
        id_number_parse(typed)


# ---------------------------------------------------------------- phones

mobile_prefixes = st.sampled_from(["130", "138", "139", "150", "158", "177", "186", "199"])
mobiles = st.builds(lambda p, rest: f"{p}{rest:08d}", mobile_prefixes, st.integers(0, 99_999_999))


@given(number=mobiles, data=st.data())
def test_a_mobile_in_any_spelling_is_stored_as_e164(number, data):
    spelling = data.draw(
        st.sampled_from(
            [
                number,
                _full_width(number),
                f"+86 {number[:3]}-{number[3:7]}-{number[7:]}",
                f"{number[:3]} {number[3:7]} {number[7:]}",
                f"+86{number}",
                f"\u200b{number} ",
            ]
        )
    )
    assert phone_parse(spelling) == f"+86{number}"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("13800138000.0", "小数点"),
        ("10086", "无效"),
        ("12345678901", "无效"),
        ("1380013800a", "只能包含数字"),
    ],
)
def test_bad_phones_are_rejected(raw, reason):
    with pytest.raises(PersonalDataError, match=reason):
        phone_parse(raw)


def test_full_width_digits_and_a_country_code_are_accepted():
    assert phone_parse("１３８００１３８０００") == "+8613800138000"
    assert phone_parse("+86 138-0013-8000") == "+8613800138000"


def test_a_landline_with_area_code_is_accepted():
    assert phone_parse("0518-87654321") == "+8651887654321"


# ---------------------------------------------------------------- masks, encryption, hashes


def test_the_id_mask_hides_the_birth_date_digits():
    assert id_number_mask("32070719900101123X") == "320707********123X"


def test_the_phone_mask_shows_three_and_four_digits():
    assert phone_mask("+8613800138000") == "138****8000"


def test_a_mask_sent_back_is_recognised():
    assert looks_masked("320707********123X")
    assert looks_masked("138＊＊＊＊8000")
    assert not looks_masked("32070719900101123X")


@settings(max_examples=50)
@given(text=st.text(min_size=1, max_size=40))
def test_encryption_round_trips_and_never_shows_the_plaintext(text):
    token = encrypt(text)
    assert decrypt(token) == text
    assert decrypt(encrypter()(text)) == text
    assert unicodedata.normalize("NFC", text) not in token or len(text) < 3
    assert encrypt(text) != token  # a fresh nonce every time


def test_a_tampered_ciphertext_is_refused():
    token = encrypt("32070719900101123X")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(Exception):
        decrypt(tampered)


def test_the_keyed_hash_is_stable_and_depends_on_the_key(settings):
    first = keyed_hash("32070719900101123X")
    assert keyed_hash("32070719900101123X") == first
    settings.FIELD_HASH_KEY = b"another key of thirty-two bytes!"
    assert keyed_hash("32070719900101123X") != first


@given(value=st.text(max_size=40))
def test_the_keyed_hash_is_plain_hmac_sha256(value):
    # Hashes stored by earlier versions must keep matching: the saved key state is an
    # optimisation, not a different function.
    from django.conf import settings as django_settings

    expected = hmac.new(django_settings.FIELD_HASH_KEY, value.encode(), hashlib.sha256)
    assert keyed_hash(value) == expected.hexdigest()
    assert keyed_hasher()(value) == expected.hexdigest()  # the bulk form, the same function


@pytest.mark.parametrize("key", [b"k", b"a key of thirty-two bytes, exact", b"long" * 40])
def test_the_keyed_hash_is_hmac_sha256_for_keys_of_any_length(settings, key):
    # Keys longer than SHA-256's 64-byte block are hashed first (RFC 2104), shorter padded.
    settings.FIELD_HASH_KEY = key
    expected = hmac.new(key, b"32070719900101123X", hashlib.sha256).hexdigest()
    assert keyed_hash("32070719900101123X") == expected
    assert keyed_hasher()("32070719900101123X") == expected


def test_the_bulk_forms_take_the_key_when_made(settings):
    before_hash, before_encrypt = keyed_hasher(), encrypter()
    token = before_encrypt("32070719900101123X")
    settings.FIELD_HASH_KEY = b"another key of thirty-two bytes!"
    settings.FIELD_ENCRYPTION_KEY = b"another key of thirty-two bytes?"
    # Made before the change: still the old keys (one import, one key throughout).
    assert before_hash("32070719900101123X") != keyed_hash("32070719900101123X")
    assert keyed_hasher()("32070719900101123X") == keyed_hash("32070719900101123X")
    with pytest.raises(Exception):
        decrypt(token)
    assert decrypt(encrypter()("32070719900101123X")) == "32070719900101123X"


@given(number=st.integers(10_000_000_000, 19_999_999_999))
def test_the_fast_mobile_path_agrees_with_phonenumbers(number):
    import phonenumbers

    text = str(number)
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        parsed = None  # phonenumbers refuses it outright (e.g. too short after its prefix rules)
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        assert phone_parse(text) == f"+86{text}"
    else:
        with pytest.raises(PersonalDataError):
            phone_parse(text)


@given(number=mobiles, zero=other_digits, data=st.data())
def test_a_mobile_typed_partly_in_other_digits_is_stored_in_ascii(number, zero, data):
    # The fast path once took "13" followed by Arabic-Indic digits and stored them as they
    # were: a second spelling that no search by the ASCII number would find.
    positions = data.draw(st.sets(st.integers(0, 10), min_size=1))
    typed = "".join(chr(zero + int(c)) if i in positions else c for i, c in enumerate(number))
    assert phone_parse(typed) == phone_parse(number) == f"+86{number}"
