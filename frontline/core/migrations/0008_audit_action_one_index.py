"""The audit row's action indexed once: db_index on a CharField made two indexes on PostgreSQL (plain and pattern), and every write adds an audit row. One index with the pattern operators serves the log's prefix filter and equality.

On SQLite, altering a field remakes its table; here only the index goes (DROP INDEX on
both databases), the table and whatever else it carries stay as they are."""

from django.db import migrations, models

PATTERN_INDEX = "core_auditevent_action_b3c9b7a8_like"


def _drop_pattern_index(apps, schema_editor):
    # PostgreSQL's second index of a CharField with db_index; SQLite never had it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{PATTERN_INDEX}"')


def _make_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{PATTERN_INDEX}" ON "core_auditevent" ("action" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_staged_import'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='auditevent',
                name='action',
                field=models.CharField(max_length=64, verbose_name='操作'),
            ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "core_auditevent_action_b3c9b7a8"',
                    reverse_sql='CREATE INDEX "core_auditevent_action_b3c9b7a8" ON "core_auditevent" ("action")',
                ),
                migrations.RunPython(_drop_pattern_index, _make_pattern_index),
            ],
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action'], name='audit_action', opclasses=['varchar_pattern_ops']),
        ),
    ]
