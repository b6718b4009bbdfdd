"""Set-based writes for importers with many rows: ids drawn before the insert, one
INSERT (or COPY) fed row by row, and a list of values as one parameter.

The ORM prepares every field of every model instance one by one, which for a
100,000-row roster costs more than the database's own work; these helpers take rows
that the importer has already checked, and nothing a user typed reaches the SQL text
(table and column names come from the models, values are parameters).
"""

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models.constants import OnConflict

CHUNK = 2000  # rows an executemany takes at once (SQLite)


def reserve_ids(table: str, count: int) -> list[range]:
    """Primary keys for `count` rows about to be inserted into `table` in this transaction,
    as runs of consecutive ids (`chain.from_iterable` walks them): a million ids are one
    or a few ranges, not a million Python integers.

    Knowing the ids up front spares a query to find the rows again (to link their tags,
    or to hand a new household to its members). PostgreSQL draws them from the
    column's sequence (other sessions drawing at the same time only split the runs);
    SQLite's write lock, held from BEGIN (IMMEDIATE), keeps anyone else from inserting
    between this read and the insert, and AUTOINCREMENT's counter moves past the
    explicit ids by itself.
    """
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is named first: looked up inside the select list it would be looked
            # up again for every id (0.3 s instead of 0.05 s for 100,000 ids).
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT min(id), max(id) FROM ("
                " SELECT id, id - row_number() OVER (ORDER BY id) AS run"
                " FROM (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) AS drawn"
                ") AS numbered GROUP BY run ORDER BY 1",
                [sequence, count],
            )
            return [range(first, last + 1) for first, last in cursor.fetchall()]
        # AUTOINCREMENT's counter is never below the largest id the table has held.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
    last = found[0] if found else 0
    return [range(last + 1, last + 1 + count)]


def insert_rows(
    table: str, columns: tuple[str, ...], values: Iterable[tuple], *, ignore_conflicts: bool = False
) -> None:
    """One INSERT of many rows (already checked), read from `values` as they are written;
    conflicts skipped when asked."""
    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{insert} {table} ({columns}) VALUES ({marks}) {suffix}".format(
        insert=ops.insert_statement(on_conflict=on_conflict),
        table=ops.quote_name(table),
        columns=", ".join(columns),
        marks=", ".join(["%s"] * len(columns)),
        suffix=ops.on_conflict_suffix_sql([], on_conflict, None, None),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # COPY: PostgreSQL's bulk path, several times faster than a pipelined executemany.
            # Binary: the server takes each value as it is instead of parsing its text (the
            # server is what a roster's COPY waits for: 100,000 residents, median of five
            # 2.2 → 1.8 s).
            copy_sql = "COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)".format(
                table=ops.quote_name(table), columns=", ".join(columns)
            )
            types = _column_types(cursor, table, columns)
            # The driver's cursor is used directly: Django's error wrapping is restored here,
            # so a duplicate ID raises IntegrityError as it does on SQLite.
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                copy.set_types(types)
                for row in values:
                    copy.write_row(row)
        else:
            # In lists of a frame's size: Django's SQLite cursor tees the parameters to
            # peek at the first, which would hold every row of a generator in memory.
            rows = iter(values)
            while chunk := list(islice(rows, CHUNK)):
                cursor.executemany(sql, chunk)


def _column_types(cursor: Any, table: str, columns: tuple[str, ...]) -> list[int]:
    """The type oids of a PostgreSQL table's columns, in the order given (binary COPY
    applies no casts: each value is sent as its column's own type)."""
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass"
        " AND attname = ANY(%s) AND NOT attisdropped",
        [table, list(columns)],
    )
    found = dict(cursor.fetchall())
    return [found[column] for column in columns]


def one_of(column: str, values: list[str] | list[int]) -> tuple[str, list[Any]]:
    """`column` is one of `values` (hex hashes or ids: no commas), as SQL and parameters.

    PostgreSQL gets the list as one string split on the server: 2,000 separate
    parameters cost the driver and the parser 6 ms a batch, one string 1 ms.
    """
    if connection.vendor == "postgresql":
        cast = "::bigint[]" if values and isinstance(values[0], int) else ""
        return f"{column} = ANY(string_to_array(%s, ','){cast})", [",".join(map(str, values))]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
