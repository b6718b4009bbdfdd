"""Roster imports move into core's StagedImport (one table for every app's imports).

Their history (counts, errors, warnings, the error workbook's sealed rows) is copied;
the sealed rows of a preview not yet confirmed are not: they were sealed in the
roster's own format, and confirming such a preview asks for a new upload.
"""

from django.db import migrations

KEY = "people.roster"
FIELDS = (
    "node_id",
    "created_by_id",
    "filename",
    "status",
    "committed_at",
    "total_rows",
    "new_count",
    "updated_count",
    "unchanged_count",
    "bad_count",
    "warning_count",
    "errors",
    "warnings",
)


def into_staged(apps, schema_editor):
    RosterImport = apps.get_model("people", "RosterImport")
    StagedImport = apps.get_model("core", "StagedImport")
    for old in RosterImport.objects.order_by("pk").iterator(chunk_size=10):
        new = StagedImport.objects.create(
            importer=KEY, error_payload=old.error_payload, **{f: getattr(old, f) for f in FIELDS}
        )
        # auto_now_add set it to now: the upload's own time is kept.
        StagedImport.objects.filter(pk=new.pk).update(created_at=old.created_at)


def out_of_staged(apps, schema_editor):
    RosterImport = apps.get_model("people", "RosterImport")
    StagedImport = apps.get_model("core", "StagedImport")
    for old in StagedImport.objects.filter(importer=KEY).order_by("pk").iterator(chunk_size=10):
        new = RosterImport.objects.create(
            payload=b"", error_payload=old.error_payload, **{f: getattr(old, f) for f in FIELDS}
        )
        RosterImport.objects.filter(pk=new.pk).update(created_at=old.created_at)
    StagedImport.objects.filter(importer=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_staged_import"),
        ("people", "0008_resident_tags_through_without_twin_index"),
    ]

    operations = [
        migrations.RunPython(into_staged, out_of_staged),
        migrations.DeleteModel(name="RosterImport"),
    ]
