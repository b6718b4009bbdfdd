"""Free-text guards: ID numbers and phone numbers belong in the people registry only.

Names, notes and findings are typed on phones in a hurry; a resident ID or a
mobile number pasted there would sit unencrypted and unmasked (PIPL, SECURITY 9).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# 18-digit resident IDs (last may be X), old 15-digit ones, and mainland mobiles.
_ID_OR_PHONE = re.compile(r"(?<!\d)(\d{17}[\dX]|\d{15}|1[3-9]\d{9})(?!\d)")


def no_id_or_phone(value: str) -> None:
    """Refuse free text that carries a resident ID number or a mobile number."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = re.sub(r"[\s\-]", "", text)
    if _ID_OR_PHONE.search(text):
        raise ValidationError(
            "请勿在此填写身份证号或手机号（这些信息只登记在人员花名册中，加密保存）",
            code="personal_number",
        )
