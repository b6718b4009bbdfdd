"""Drop the move's warehouse index: supplies_move_wh_item leads with the warehouse, and every move writes each index.

On SQLite, altering a field remakes its table; here only the index goes (DROP INDEX on
both databases), the table and whatever else it carries stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supplies', '0002_item_node'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='move',
                name='warehouse',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='moves', to='supplies.warehouse', verbose_name='仓库'),
            ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "supplies_move_warehouse_id_808916fc"',
                    reverse_sql='CREATE INDEX "supplies_move_warehouse_id_808916fc" ON "supplies_move" ("warehouse_id")',
                ),
            ],
        ),
    ]
