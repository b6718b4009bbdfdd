"""The key-person categories and 五送 service kinds the seed report names; admins extend them."""

from django.db import migrations

CATEGORIES = ["重点地区来返人员", "密切接触者", "发热人员", "其他"]
SERVICE_KINDS = [
    ("送服务（上门测温）", ""),
    ("送咨询（宣传单）", "张"),
    ("送物资", "份"),
    ("代购", "次"),
    ("送餐", "份"),
]


def seed(apps, schema_editor):
    category = apps.get_model("control", "KeyPersonCategory")
    kind = apps.get_model("control", "ServiceKind")
    for order, name in enumerate(CATEGORIES):
        category.objects.get_or_create(name=name, defaults={"sort_order": order})
    for order, (name, unit) in enumerate(SERVICE_KINDS):
        kind.objects.get_or_create(name=name, defaults={"sort_order": order, "quantity_label": unit})


def unseed(apps, schema_editor):
    apps.get_model("control", "KeyPersonCategory").objects.filter(name__in=CATEGORIES).delete()
    names = [name for name, _ in SERVICE_KINDS]
    apps.get_model("control", "ServiceKind").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("control", "0001_key_persons_isolation_rounds")]

    operations = [migrations.RunPython(seed, unseed)]
