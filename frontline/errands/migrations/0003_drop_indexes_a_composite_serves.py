"""Drop the errand's single-column indexes that a composite index leads with (node: errand_node_status; claimed_by: errand_claimer; series: errand_one_meal_a_day): every claim rewrites each index of its row.

On SQLite, altering a field remakes its table; here only the index goes (DROP INDEX on
both databases), the table and whatever else it carries stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('errands', '0002_errand_claimed_team'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='errand',
                name='claimed_by',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='认领人'),
            ),
            migrations.AlterField(
                model_name='errand',
                name='node',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.node', verbose_name='所在村/社区'),
            ),
            migrations.AlterField(
                model_name='errand',
                name='series',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='errands', to='errands.mealseries'),
            ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "errands_errand_claimed_by_id_f366fe8c"',
                    reverse_sql='CREATE INDEX "errands_errand_claimed_by_id_f366fe8c" ON "errands_errand" ("claimed_by_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "errands_errand_node_id_4baad6e0"',
                    reverse_sql='CREATE INDEX "errands_errand_node_id_4baad6e0" ON "errands_errand" ("node_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "errands_errand_series_id_7d20d00e"',
                    reverse_sql='CREATE INDEX "errands_errand_series_id_7d20d00e" ON "errands_errand" ("series_id")',
                ),
            ],
        ),
    ]
