"""Large binary fields (a sealed roster preview is tens of megabytes at a million rows),
written and read as bytes rather than through the ORM.

Django's PostgreSQL backend binds parameters on the client: a bytea value travels as
hex text inside the statement and comes back as hex text, several copies of twice its
size at once (a 37 MB preview raised the peak memory by 280 MB). Bound on the server
in binary, it costs one copy each way. SQLite binds a blob as it is, through the ORM.
"""

from django.db import connection
from django.db.models import Model


def blob_write(model: type[Model], pk: int, **values: bytes | bytearray) -> None:
    """Set binary fields of one row: blob_write(StagedImport, 7, payload=b"...")."""
    if connection.vendor != "postgresql":
        model._default_manager.filter(pk=pk).update(**values)
        return
    import psycopg

    opts = model._meta
    columns = [opts.get_field(name).column for name in values]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %b" for c in columns)
    table, key = connection.ops.quote_name(opts.db_table), connection.ops.quote_name(opts.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [*values.values(), pk])


def blob_read(model: type[Model], pk: int, field: str) -> bytes:
    """One binary field of one row, as bytes (b"" when the row has none)."""
    if connection.vendor != "postgresql":
        found = model._default_manager.filter(pk=pk).values_list(field, flat=True).first()
        return bytes(found or b"")
    import psycopg

    opts = model._meta
    column = connection.ops.quote_name(opts.get_field(field).column)
    table, key = connection.ops.quote_name(opts.db_table), connection.ops.quote_name(opts.pk.column)
    sql = f"SELECT {column} FROM {table} WHERE {key} = %s"  # noqa: S608
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [pk], binary=True)
        found = cursor.fetchone()
    return bytes(found[0]) if found and found[0] is not None else b""
