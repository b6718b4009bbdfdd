"""Pagination that stays fast on big tables: the count stops at a cap.

COUNT(*) over a million rows on every page turn costs more than the page itself;
past the cap the page says "more than N" and asks for a narrower filter.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count is exact up to `cap` and `cap + 1` ("more") beyond it."""

    def __init__(self, object_list: QuerySet, per_page: int, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # COUNT over a LIMITed subquery: the database stops after cap + 1 rows. Without
        # the ordering, which a count does not need and which would force a sort.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than the count shows."""
        return self.count > self.cap


def capped_page(
    queryset: QuerySet, number: object, per_page: int = 30, count: int | None = None
) -> Page:
    """One page of a queryset; an out-of-range or junk page number gives the nearest page.
    `count`: how many rows the queryset holds, when the caller has counted them already
    (a list whose status chips count the same rows); the COUNT query is then not run."""
    paginator = CappedPaginator(queryset, per_page)
    if count is not None:
        paginator.count = min(count, paginator.cap + 1)
    return paginator.get_page(number)


# ---------------------------------------------------------------- the API's lists

API_PER_PAGE = 50
API_MAX_LIMIT = 200  # rows one API page may ask for (?limit=100000 is refused)
API_MAX_OFFSET = 100_000  # deeper than any list is read; a narrower filter answers better


class CappedLimitOffset(LimitOffsetPagination):
    """ninja's limit/offset pagination with both bounded in the schema, so a client
    asking for a hundred thousand rows is refused (422, in Chinese) before any query.
    Every `@paginate` of the API uses it (settings.NINJA_PAGINATION_CLASS)."""

    class Input(Schema):
        limit: int = Field(API_PER_PAGE, ge=1, le=API_MAX_LIMIT, description="每页条数")
        offset: int = Field(0, ge=0, le=API_MAX_OFFSET, description="跳过的条数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=API_MAX_LIMIT, **kwargs)
