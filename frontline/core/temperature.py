"""Body temperatures as people type them: one parser and one fever rule for every app.

Checkpoints, screening and the door-step temperature rounds all read a value a
person typed on a phone ("36.5", "36.5℃", full-width "３６．５") and ask whether
it is a fever; keeping both answers here keeps every screen and API consistent.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

# Below or above these the thermometer or the typing is wrong, not the person.
LOWEST = Decimal("34.0")
HIGHEST = Decimal("43.0")
_UNITS = ("℃", "°C", "°c", "°", "C", "c", "度")


def fever_threshold() -> Decimal:
    """The configured fever threshold (FRONTLINE_FEVER_THRESHOLD, default 37.3 °C)."""
    return Decimal(str(settings.FEVER_THRESHOLD))


def temperature_parse(raw: object, *, label: str = "体温") -> Decimal:
    """A typed temperature as Decimal with one decimal place, or a ValidationError in Chinese."""
    if isinstance(raw, Decimal | int | float):
        text = str(raw)
    else:
        # NFKC folds full-width digits and the full-width point into ASCII.
        text = unicodedata.normalize("NFKC", str(raw or "")).strip().replace("。", ".")
        for unit in _UNITS:
            if text.endswith(unit):
                text = text[: -len(unit)].strip()
                break
    if not text:
        raise ValidationError(f"请填写{label}", code="required")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{label}“{raw}”不是数字，请填写如 36.5", code="invalid") from None
    if not value.is_finite():
        raise ValidationError(f"{label}“{raw}”不是数字，请填写如 36.5", code="invalid")
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value < LOWEST or value > HIGHEST:
        raise ValidationError(
            f"{label} {value}°C 不合理（应在 {LOWEST}–{HIGHEST}°C 之间），请重新测量",
            code="implausible",
        )
    return value


def is_fever(value: Decimal | None) -> bool:
    """Whether a reading is a fever: at or above the configured threshold."""
    return value is not None and value >= fever_threshold()


class TemperatureField(forms.CharField):
    """A form field that accepts what people type and cleans it to a Decimal."""

    def __init__(self, *, label: str = "体温（°C）", **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(label=label, **kwargs)

    def widget_attrs(self, widget):
        # The decimal keypad on phones; the server still accepts full-width input.
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        return temperature_parse(text, label=self.label.split("（")[0])
