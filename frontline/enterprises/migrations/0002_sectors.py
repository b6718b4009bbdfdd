"""The starting list of sectors; the town edits it afterwards (重点行业 flagged)."""

from django.db import migrations

SECTORS = [
    ("医疗器械与防疫物资", True),
    ("食品与农产品加工", True),
    ("能源与公用事业", True),
    ("物流运输", True),
    ("机械制造", False),
    ("纺织服装", False),
    ("电子信息", False),
    ("新材料", False),
    ("建材", False),
    ("商贸服务", False),
    ("其他", False),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("enterprises", "Sector")
    for order, (name, is_key) in enumerate(SECTORS):
        Sector.objects.get_or_create(name=name, defaults={"is_key": is_key, "order": order})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
