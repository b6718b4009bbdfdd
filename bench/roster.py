"""A realistic roster with a fixed seed: valid IDs, names, phones, villages, grids, households."""

import random
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from frontline.core.personal_data import id_number_make
from frontline.people.demo import GIVEN, MOBILE_PREFIXES, SURNAMES

HEADERS = ["姓名", "身份证号", "手机号", "村/社区", "网格", "户号", "与户主关系", "住址", "标签"]
RELATIONS = ["户主", "配偶", "子女", "子女", "父母"]
TAGS = ["", "", "", "", "", "", "党员", "孤寡老人", "留守儿童", "党员、困难家庭"]


def roster_rows(count: int, villages: dict[str, list[str]], seed: int = 2020):
    """`count` rows; every ID unique (a sequence walks region × date × serial)."""
    rng = random.Random(seed)
    names = list(villages)
    start = date(1930, 1, 1)
    for n in range(count):
        # Unique by construction: n picks the day and the serial, the region splits the rest.
        region = "320721" if n % 2 else "320707"
        day = start + timedelta(days=(n // 2) % 30000)
        serial = 100 + (n // 60000) % 900
        if n % 3 == 0:  # a household's three members live in one village and grid
            village = names[rng.randrange(len(names))]
            grids = villages[village]
            grid = grids[rng.randrange(len(grids))] if grids and rng.random() < 0.8 else ""
            address = f"{village}{rng.randint(1, 12)}组{rng.randint(1, 200)}号"
        phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
        yield [
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_number_make(region, day, serial),
            phone if rng.random() < 0.9 else "",
            village,
            grid,
            f"{n // 3:06d}",
            RELATIONS[n % 3],
            address,
            rng.choice(TAGS),
        ]


def roster_write(
    path: Path,
    count: int,
    villages: dict[str, list[str]],
    seed: int = 2020,
    *,
    shared_strings: bool = False,
) -> Path:
    """Write the roster as .xlsx: text cells inline (constant memory, as streaming writers
    do), or through a shared-strings table, as Excel and WPS write every text cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings})
    sheet = workbook.add_worksheet("花名册")
    sheet.write_row(0, 0, HEADERS)
    for number, row in enumerate(roster_rows(count, villages, seed), start=1):
        for col, value in enumerate(row):
            sheet.write_string(number, col, value)
    workbook.close()
    return path
