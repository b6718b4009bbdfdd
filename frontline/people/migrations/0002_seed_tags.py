from django.db import migrations

TAGS = ["党员", "入党积极分子", "干部", "孤寡老人", "留守儿童", "困难家庭", "残疾人", "返乡人员", "外来人员"]


def seed(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for order, name in enumerate(TAGS, start=1):
        Tag.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def unseed(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    Tag.objects.filter(name__in=TAGS, residents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_residents_households_tags")]

    operations = [migrations.RunPython(seed, unseed)]
