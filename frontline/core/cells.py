"""Cell values as importers read them: text, dates and a header row found by its names.

Shared by every importer (rosters, lead lists, members, enterprises, stock-takes) so that a
date typed as text, an Excel serial or a datetime all read the same way everywhere.
"""

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

# A header may sit below a title or two; past this many rows it is not there.
HEADER_SCAN_ROWS = 10


def cell_text(value: Any) -> str:
    """A cell as stripped text; numbers from Excel lose a spurious '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_date(value: Any) -> date | None:
    """A date cell, or text as cadres write it (2020-01-25, 2020/1/25, 2020.1.25,
    2020年1月25日); None for an empty cell; ValueError when it cannot be read."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _header_key(value: Any) -> str:
    # NFKC: 村（社区） and 村(社区) are one header; line breaks in a cell do not matter.
    key = "".join(unicodedata.normalize("NFKC", cell_text(value)).split())
    return key.replace("*", "")


def header_find(
    rows: Iterator[list[Any]], columns: dict[str, Sequence[str]], required: Iterable[str]
) -> tuple[dict[str, int], int, list[str]]:
    """Find the header row among the first rows and map each column to its index.

    `columns` maps our field to the spellings cadres use (身份证号码, 公民身份号码 …).
    A title row, a merged banner or a two-line header is skipped: the header is the
    row that names the most columns. Returns (mapping, header row number (1-based),
    the required columns that are missing).
    """
    best: tuple[int, dict[str, int], int] = (0, {}, 0)
    for number in range(1, HEADER_SCAN_ROWS + 1):
        try:
            row = next(rows)
        except StopIteration:
            break
        keys = [_header_key(cell) for cell in row]
        mapping: dict[str, int] = {}
        for field, spellings in columns.items():
            for index, key in enumerate(keys):
                if key and key in spellings and field not in mapping:
                    mapping[field] = index
        if len(mapping) > best[0]:
            best = (len(mapping), mapping, number)
        required_set = set(required)
        if required_set and required_set <= set(mapping):
            break
    _, mapping, header_row = best
    missing = [field for field in required if field not in mapping]
    return mapping, header_row, missing
