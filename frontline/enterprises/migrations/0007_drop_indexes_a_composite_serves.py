"""Drop the gate entry's employee index: gate_entry_employee_day leads with the employee, and every scan writes each index.

On SQLite, altering a field remakes its table; here only the index goes (DROP INDEX on
both databases), the table and whatever else it carries stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0006_application_enterprise_state'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='gateentry',
                name='employee',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='enterprises.employee'),
            ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "enterprises_gateentry_employee_id_53cfa1ae"',
                    reverse_sql='CREATE INDEX "enterprises_gateentry_employee_id_53cfa1ae" ON "enterprises_gateentry" ("employee_id")',
                ),
            ],
        ),
    ]
