"""Shared by the API modules of this app: the router, money as typed, the scoped fetch."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router

from frontline.core.scoping import get_visible_or_404
from frontline.enterprises import selectors

router = Router(tags=["复工复产"])


# An amount of money as typed, in 元 with at most two decimals; the model bounds its size
# (0–100,000,000) and says so in Chinese.
Money = Annotated[str, Field(max_length=13, pattern=r"^\d{1,9}(\.\d{1,2})?$")]


def _enterprise(request: HttpRequest, enterprise_id: int, permission="enterprises.view"):
    return get_visible_or_404(selectors.enterprises_for(request.user, permission), pk=enterprise_id)
