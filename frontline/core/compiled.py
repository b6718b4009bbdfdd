"""Queries on hot paths that are built from a few values (a card by its code, one
resident's health flags): with core.fastpaths on, the SQL is compiled once per process and
run with each call's values; off, the QuerySet is built and evaluated as usual.

    @compiled_query(stand_ins=("~code~", date(1, 2, 3)))
    def _card_by_code(code: str, day: date) -> QuerySet[Employee]:
        return Employee.objects.filter(code=code, ...)

    employees = _card_by_code("K7M2P9QX", today)   # a list, as list(queryset)

The stand-ins are values no real call passes, of the same types as the real values; each
must reach the SQL as a parameter of its own (fastpaths checks, and refuses otherwise).
"""

from collections.abc import Callable
from functools import cached_property

from django.db.models import QuerySet

from frontline.core import fastpaths


class CompiledQuery:
    """A query function whose evaluation the fast paths may serve from compiled SQL."""

    def __init__(self, build: Callable[..., QuerySet], stand_ins: tuple):
        self.build = build
        self.stand_ins = stand_ins
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__

    @cached_property
    def _alias(self) -> str:
        return self.build(*self.stand_ins).db

    def __call__(self, *values) -> list:
        if fastpaths.enabled():
            return fastpaths.compiled_rows(self.build, self.stand_ins, values, self._alias)
        return list(self.build(*values))


def compiled_query(*, stand_ins: tuple) -> Callable[[Callable[..., QuerySet]], CompiledQuery]:
    """Declare a query function for CompiledQuery (see the module's docstring)."""

    def declare(build: Callable[..., QuerySet]) -> CompiledQuery:
        return CompiledQuery(build, stand_ins)

    return declare
