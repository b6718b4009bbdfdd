"""Queries on hot paths that are built from a few values (a card by its code, one
resident's health flags): with core.fastpaths on, the SQL is compiled once per process and
run with each call's values; off, the QuerySet is built and evaluated as usual.

    @compiled_query(stand_ins=("~code~", date(1, 2, 3)))
    def _card_by_code(code: str, day: date) -> QuerySet[Employee]:
        return Employee.objects.filter(code=code, ...)

    employees = _card_by_code("K7M2P9QX", today)   # a list, as list(queryset)

The stand-ins are values no real call passes, of the same types as the real values; each
must reach the SQL as a parameter of its own (fastpaths checks, and refuses otherwise).

`compiled_update` declares a conditional UPDATE the same way: the function returns the
queryset and the values to set, and a call gives a `BoundUpdate` to run or to hand to
core.audit.audited_insert_if as its guard.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from frontline.core import fastpaths


class _Declared:
    """A function declared with its stand-ins, standing in for it (name, docstring)."""

    def __init__(self, build: Callable, stand_ins: tuple):
        self.build = build
        self.stand_ins = stand_ins
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__


class CompiledQuery(_Declared):
    """A query function whose evaluation the fast paths may serve from compiled SQL."""

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


class CompiledUpdate(_Declared):
    """An update function, build(*values) -> (queryset, values to set), whose UPDATE the
    fast paths may run from SQL compiled once per process."""

    @cached_property
    def alias(self) -> str:
        return self.build(*self.stand_ins)[0].db

    def __call__(self, *values) -> "BoundUpdate":
        return BoundUpdate(self, values)


@dataclass(frozen=True)
class BoundUpdate:
    """One call of a CompiledUpdate: run it, or take its SQL (for a statement that holds
    it, as audited_insert_if's guard) or its queryset (the plain ORM path)."""

    update: CompiledUpdate
    values: tuple

    def queryset_and_values(self) -> tuple[QuerySet, dict]:
        return self.update.build(*self.values)

    def sql(self) -> tuple[str, list]:
        """The UPDATE and its parameters (fast paths only)."""
        u = self.update
        return fastpaths.compiled_update(u.build, u.stand_ins, self.values, u.alias)

    def run(self) -> int:
        """The number of rows changed, as QuerySet.update() answers."""
        if fastpaths.enabled():
            u = self.update
            return fastpaths.compiled_update_run(u.build, u.stand_ins, self.values, u.alias)
        queryset, values = self.queryset_and_values()
        return queryset.update(**values)


def compiled_update(
    *, stand_ins: tuple
) -> Callable[[Callable[..., tuple[QuerySet, dict]]], CompiledUpdate]:
    """Declare an update function for CompiledUpdate (see the module's docstring)."""

    def declare(build: Callable[..., tuple[QuerySet, dict]]) -> CompiledUpdate:
        return CompiledUpdate(build, stand_ins)

    return declare
