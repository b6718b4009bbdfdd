"""Residents for tests, made through the real service so they are encrypted and hashed."""

import itertools
from datetime import date

from frontline.core.personal_data import id_number_make
from frontline.people.services import resident_create

_sequence = itertools.count(1)


def id_number_next(birth: date = date(1980, 6, 15), region: str = "320721") -> str:
    """A valid ID number never handed out before in this test process."""
    n = next(_sequence)
    return id_number_make(region, date(birth.year, birth.month, 1 + n % 28), n)


def resident_make(node, *, name: str = "张三", id_number: str | None = None, **fields):
    resident, _ = resident_create(
        actor=None, name=name, id_number=id_number or id_number_next(), node=node, **fields
    )
    return resident
