"""Lead-list imports move into core's StagedImport (one table for every app's imports).

Their history is copied (a key person already followed becomes a skipped row); the
sealed rows of a list not yet confirmed are not: they were sealed in the old format,
and confirming such a preview asks for a new upload.
"""

from django.db import migrations

KEY = "control.lead_list"
FIELDS = ("node_id", "created_by_id", "filename", "committed_at", "total_rows", "new_count")
FIELDS += ("bad_count", "errors")


def into_staged(apps, schema_editor):
    LeadImport = apps.get_model("control", "LeadImport")
    StagedImport = apps.get_model("core", "StagedImport")
    for old in LeadImport.objects.order_by("pk").iterator(chunk_size=100):
        new = StagedImport.objects.create(
            importer=KEY,
            status="committed" if old.is_committed else "preview",
            unchanged_count=old.seen_count,
            skipped=[
                {
                    "row": seen["row"],
                    "message": f"{seen.get('registered', '')} 登记 · {seen.get('status', '')}",
                    "url": "",
                    "key_person_id": seen.get("key_person_id"),
                }
                for seen in old.seen
            ],
            **{f: getattr(old, f) for f in FIELDS},
        )
        # auto_now_add set it to now: the upload's own time is kept.
        StagedImport.objects.filter(pk=new.pk).update(created_at=old.created_at)


def out_of_staged(apps, schema_editor):
    LeadImport = apps.get_model("control", "LeadImport")
    StagedImport = apps.get_model("core", "StagedImport")
    for old in StagedImport.objects.filter(importer=KEY).order_by("pk").iterator(chunk_size=100):
        new = LeadImport.objects.create(
            is_committed=old.status == "committed",
            seen_count=old.unchanged_count,
            seen=[
                {"row": s["row"], "key_person_id": s.get("key_person_id"), "registered": s["message"]}
                for s in old.skipped
            ],
            **{f: getattr(old, f) for f in FIELDS},
        )
        LeadImport.objects.filter(pk=new.pk).update(created_at=old.created_at)
    StagedImport.objects.filter(importer=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_staged_import"),
        ("control", "0005_referral_from_screening"),
    ]

    operations = [
        migrations.RunPython(into_staged, out_of_staged),
        migrations.DeleteModel(name="LeadImport"),
    ]
