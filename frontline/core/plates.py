"""Chinese vehicle plates: one normaliser and validator for checkpoints and vehicles.

A plate starts with the province's one-character abbreviation (苏 for Jiangsu),
then the issuing city's letter, then five characters (ordinary plates) or six
(new-energy plates, green, since 2017). Police, embassy and military plates are
rare at a village barrier and are accepted only in the ordinary shape.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Letters I and O are never issued (they read as 1 and 0).
_LETTER = "A-HJ-NP-Z"
_ORDINARY = re.compile(
    rf"^[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳领试超]$"
)
# New energy: small cars D/F then 5 digits-or-letters; large vehicles 5 digits then D/F.
_NEW_ENERGY = re.compile(
    rf"^[{PROVINCES}][{_LETTER}](?:[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$"
)


def plate_normalise(raw: str) -> str:
    """Upper case, half-width, without spaces, dots or hyphens (苏G·12345 → 苏G12345)."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return re.sub(r"[\s·.\-•・]", "", text)


def plate_validate(raw: str) -> str:
    """The normalised plate, or a ValidationError that says what is wrong in Chinese."""
    plate = plate_normalise(raw)
    if not plate:
        raise ValidationError("请填写车牌号", code="required")
    if plate[0] not in PROVINCES:
        raise ValidationError(f"车牌“{raw}”应以省份简称开头，如 苏G12345", code="province")
    if _ORDINARY.match(plate) or _NEW_ENERGY.match(plate):
        return plate
    raise ValidationError(
        f"车牌“{raw}”格式不对：普通车牌如 苏G12345（7 位），新能源车牌如 苏GD12345（8 位）",
        code="invalid",
    )
