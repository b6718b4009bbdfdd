"""Shared by the API modules of this app: the router, bounded numbers, formatting."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, WithJsonSchema

from frontline.supplies import services

router = Router(tags=["物资、捐赠与基金"])

LIMIT = Field(50, ge=1, le=200)
NUMBER_TEXT = 24  # "999999999.999" and its sign, with room for spaces


def _short(value):
    """A number sent as text is refused when longer than any bounded number can be."""
    if isinstance(value, str) and len(value) > NUMBER_TEXT:
        raise ValueError("数字太长")
    return value


def _decimal(low: Decimal, high: Decimal, places: int, digits: int, **bounds):
    """A Decimal a client sends as a number or as text ("22.5"), bounded both ways."""
    return Annotated[
        Decimal,
        BeforeValidator(_short),
        Field(max_digits=digits, decimal_places=places, **bounds),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": float(low), "maximum": float(high)},
                    {"type": "string", "maxLength": NUMBER_TEXT},
                ]
            }
        ),
    ]


# Base-unit quantities (an adjustment may be negative) and yuan.
Quantity = _decimal(
    Decimal(-999_999_999), Decimal(999_999_999), 3, 15, ge=-999_999_999, le=999_999_999
)
PositiveQuantity = _decimal(Decimal("0.001"), Decimal(999_999_999), 3, 15, gt=0, le=999_999_999)
Factor = _decimal(Decimal("0.001"), Decimal(1_000_000), 3, 15, gt=0, le=1_000_000)
Money = _decimal(Decimal(0), Decimal("999999999.99"), 2, 14, ge=0, le=999_999_999)
PositiveMoney = _decimal(Decimal("0.01"), Decimal("999999999.99"), 2, 14, gt=0, le=999_999_999)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _qty(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


class Page(Schema):
    limit: int = LIMIT
    offset: int = Field(0, ge=0, le=1_000_000)


def _conflict(error: services.IdempotencyConflict):
    raise HttpError(409, "；".join(error.messages)) from None
