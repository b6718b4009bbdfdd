"""Names and addresses are masked the same way on pages and in the API (SECURITY 3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontline.core.personal_data import address_mask, name_mask


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张秀兰", "张*兰"), ("欧阳娜娜", "欧**娜"), ("李", "李")]
)
def test_a_name_keeps_its_family_name(name, masked):
    assert name_mask(name) == masked


def test_an_address_hides_the_house_number():
    assert address_mask("三店村3组12号") == "三店村3****"
    assert address_mask("赣榆经济开发区三店村3组12号") == "赣榆经济开发区三店村3****"


@given(st.text(min_size=2, max_size=20).filter(lambda s: s.strip() == s and len(s) >= 2))
def test_a_masked_name_never_shows_a_middle_character(name):
    masked = name_mask(name)
    assert len(masked) == len(name) and masked[0] == name[0]
    assert set(masked[1:-1]) <= {"*"}


@given(st.text(min_size=5, max_size=60).map(str.strip).filter(lambda s: len(s) >= 5))
def test_a_masked_address_always_hides_something(address):
    masked = address_mask(address)
    assert "*" in masked and masked != address
