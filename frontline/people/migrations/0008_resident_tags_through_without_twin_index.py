"""Resident.tags through a declared link model on the same table, without the
`resident_id` index that the unique (resident, tag) index makes redundant.

The first operation only tells Django's state what the database already holds (the
implicit link table, its name, its unique pair, both foreign-key indexes); the second
drops the redundant index.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0007_hash_columns_byte_collation")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ResidentTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "resident",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.resident",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.tag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "people_resident_tags",
                        "unique_together": {("resident", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="residents",
                        through="people.ResidentTag",
                        to="people.tag",
                        verbose_name="标签",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="residenttag",
            name="resident",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.resident",
            ),
        ),
    ]
