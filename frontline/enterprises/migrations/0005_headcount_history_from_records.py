"""Each registered enterprise's current on-site headcount becomes the first row of its
history, dated the day it was registered."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Headcount = apps.get_model("enterprises", "Headcount")
    rows = (
        Headcount(
            enterprise_id=e.pk,
            day=timezone.localdate(e.created_at),
            onsite=e.onsite_headcount,
        )
        for e in Enterprise.objects.only("pk", "created_at", "onsite_headcount").iterator()
    )
    Headcount.objects.bulk_create(rows, batch_size=2000)


def backwards(apps, schema_editor):
    apps.get_model("enterprises", "Headcount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_headcount_history")]

    operations = [migrations.RunPython(forwards, backwards)]
