"""Typed temperatures and plates, as staff type them on a phone (SECURITY 16)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from frontline.core.plates import plate_validate
from frontline.core.temperature import is_fever, temperature_parse


@pytest.mark.parametrize(
    "typed", ["36.5", "36.5℃", "３６．５", " 36.5 °C", "36.5度", "36.50", "３６．５℃"]
)
def test_it_reads_what_people_type_as_36_5(typed):
    assert temperature_parse(typed) == Decimal("36.5")


def test_it_reads_numbers_too():
    assert temperature_parse(37.3) == Decimal("37.3")


@pytest.mark.parametrize("typed", ["33.9", "43.1", "3.65", "365"])
def test_it_rejects_implausible_readings_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as caught:
        temperature_parse(typed)
    assert "不合理" in caught.value.messages[0] and "34.0–43.0" in caught.value.messages[0]


@pytest.mark.parametrize("typed", ["abc", "36..5", "nan", "inf"])
def test_it_rejects_what_is_not_a_number(typed):
    with pytest.raises(ValidationError) as caught:
        temperature_parse(typed, label="体温")
    assert "不是数字" in caught.value.messages[0]


def test_the_fever_boundary_is_37_3():
    assert not is_fever(temperature_parse("37.2"))
    assert is_fever(temperature_parse("37.3"))
    assert not is_fever(None)


def test_the_fever_threshold_is_configurable(settings):
    settings.FEVER_THRESHOLD = "37.5"
    assert not is_fever(Decimal("37.4"))
    assert is_fever(Decimal("37.5"))


@given(st.decimals(min_value=34, max_value=43, places=1))
def test_every_plausible_reading_survives_a_round_trip(value):
    assert temperature_parse(f"{value}℃") == value


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("苏G12345", "苏G12345"),
        ("苏g 12345", "苏G12345"),
        ("苏G·A1234", "苏GA1234"),
        ("苏GD12345", "苏GD12345"),
        ("苏G12345F", "苏G12345F"),
        ("京A1234学", "京A1234学"),
        ("ｓｕ", None),
    ],
)
def test_it_accepts_chinese_plates_with_a_province(typed, plate):
    if plate is None:
        with pytest.raises(ValidationError):
            plate_validate(typed)
    else:
        assert plate_validate(typed) == plate


def test_a_plate_without_province_says_so_in_chinese():
    with pytest.raises(ValidationError) as caught:
        plate_validate("G12345")
    assert "省份简称" in caught.value.messages[0]


@pytest.mark.parametrize("typed", ["苏G1234", "苏G1234567", "苏I12345", "苏GX12345"])
def test_a_plate_of_the_wrong_shape_is_refused_with_examples(typed):
    with pytest.raises(ValidationError) as caught:
        plate_validate(typed)
    assert "苏G12345" in caught.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "身份证320721199001011234",
        "电话 138 0013 8000",
        "３２０７２１１９９００１０１１２３ｘ",
        "320721900101123",
    ],
)
def test_free_text_refuses_id_and_phone_numbers(text):
    from frontline.core.validators import no_id_or_phone

    with pytest.raises(ValidationError, match="请勿在此填写身份证号或手机号"):
        no_id_or_phone(text)


@pytest.mark.parametrize(
    "text", ["苏G12345", "体温 37.6", "东门无人值守，3 人在岗", "2020年2月10日"]
)
def test_ordinary_notes_pass(text):
    from frontline.core.validators import no_id_or_phone

    no_id_or_phone(text)
