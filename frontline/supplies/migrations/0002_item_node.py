import django.db.models.deletion
from django.db import migrations, models


def items_to_the_top(apps, schema_editor):
    """Entries made before they had a keeper belong to the top of the tree."""
    Node = apps.get_model("core", "Node")
    Item = apps.get_model("supplies", "Item")
    top = Node.objects.order_by("path").first()
    if top is not None:
        Item.objects.filter(node__isnull=True).update(node=top)


def items_unkept(apps, schema_editor):
    apps.get_model("supplies", "Item").objects.update(node=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_staged_import"),
        ("supplies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="node",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.node",
                verbose_name="维护单位",
            ),
        ),
        migrations.RunPython(items_to_the_top, items_unkept),
    ]
