"""The bounds of what a client may send to the API, as schema types: the same limits
the forms and models hold, stated where pydantic refuses before any code runs.

`core/tests/test_api_limits.py` walks the OpenAPI schema: a text without a length, a
number without a range or a list without a size anywhere in a request fails it.
"""

from typing import Annotated

from pydantic import Field

# A row's id, as a client names it. Not bounded here on purpose: an id is looked up, and
# one that names no row the user may see, 0, -1 or 10**30 alike, is 404 like any other
# (Django answers an out-of-range lookup with no row); the limits walk knows it by mark.
ID_MARK = "x-frontline-id"
Id = Annotated[int, Field(json_schema_extra={ID_MARK: True})]
# A page number of a list (pages are 30-50 rows; nothing lists millions).
PageNumber = Annotated[int, Field(ge=1, le=100_000)]
# A key an offline phone sends to make a retry safe (the models keep 64 characters).
IdempotencyKey = Annotated[str, Field(max_length=64)]
# A choice's value ("person", "am", "pass"): the service says which ones are allowed.
Choice = Annotated[str, Field(max_length=32)]
# What is typed in a search box.
SearchText = Annotated[str, Field(max_length=100)]
# A temperature as typed ("36.5℃", "３６．５") or as a number; the service parses it and
# refuses what is outside 34–43 ℃ with its own message.
Temperature = Annotated[str, Field(max_length=16)] | Annotated[float, Field(ge=-1000, le=1000)]


def Text(max_length: int) -> type[str]:
    """A free text of at most `max_length` characters (the model's or form's own)."""
    return Annotated[str, Field(max_length=max_length)]  # type: ignore[return-value]
