"""The seed's six kinds of team; administrators may add more."""

from django.db import migrations

KINDS = [
    ("purchase_vehicle", "党员代购车"),
    ("service_squad", "服务小分队"),
    ("patrol", "志愿巡逻队"),
    ("loudspeaker", "小喇叭宣传队"),
    ("prevention", "防控志愿队"),
    ("volunteer_service", "志愿服务队"),
]


def seed(apps, schema_editor):
    TeamKind = apps.get_model("teams", "TeamKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        TeamKind.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


def unseed(apps, schema_editor):
    TeamKind = apps.get_model("teams", "TeamKind")
    TeamKind.objects.filter(code__in=[code for code, _ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_kinds_teams_members_vehicles_activities")]

    operations = [migrations.RunPython(seed, unseed)]
