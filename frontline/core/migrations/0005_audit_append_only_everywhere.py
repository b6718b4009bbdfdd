"""The audit log is append-only on both databases, whoever connects (SECURITY 8).

0002 refused UPDATE and DELETE on PostgreSQL only, row by row, which TRUNCATE skips:
PostgreSQL gets a statement-level TRUNCATE trigger, SQLite gets triggers refusing UPDATE
and DELETE (SQLite has no TRUNCATE; its `DELETE FROM` without WHERE fires them too).
"""

from django.db import migrations

POSTGRESQL_CREATE = """
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change();
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"

SQLITE_CREATE = [
    f"""
CREATE TRIGGER core_auditevent_no_{verb.lower()}
    BEFORE {verb} ON core_auditevent
BEGIN
    SELECT RAISE(ABORT, 'core_auditevent is append-only');
END;
"""
    for verb in ("UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS core_auditevent_no_{verb};" for verb in ("update", "delete")
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_role_choices_from_registry")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
