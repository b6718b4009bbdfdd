"""The demo zone: the report's shape, every role, loaded once."""

from django.core.management import call_command
from django.db import transaction

from frontline.core.demo import DEMO_USERS, build_zone
from frontline.core.models import Node, User


def test_the_demo_zone_has_the_reports_shape(db, settings):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    town = Node.objects.get(name="赣榆经济开发区", parent__name="赣榆区")
    villages = town.children.filter(kind="village")
    assert villages.count() == 24
    assert {"三店村", "郑园村"} <= set(villages.values_list("name", flat=True))
    assert all(v.children.filter(kind="grid").exists() for v in villages)
    enterprise_grids = town.children.filter(kind="grid")
    assert enterprise_grids.count() == 6
    assert Node.objects.filter(kind="enterprise", parent__in=enterprise_grids).count() == 160


def test_every_demo_user_signs_in_with_the_demo_password(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for username, *_ in DEMO_USERS:
        assert username in out
        assert User.objects.get(username=username).check_password("frontline2020")
    assert User.objects.get(username="cadre_sandian").roles.get().node.name == "三店村"


def test_a_second_run_keeps_the_data(db, capsys):
    call_command("demo")
    nodes = Node.objects.count()
    call_command("demo")
    assert Node.objects.count() == nodes
    assert "跳过" in capsys.readouterr().out


class _Rollback(Exception):
    pass


def _names_built_then_rolled_back() -> list[str]:
    names: list[str] = []
    try:
        with transaction.atomic():
            build_zone()
            names = list(Node.objects.order_by("path").values_list("name", flat=True))
            raise _Rollback
    except _Rollback:
        pass
    return names


def test_the_demo_is_the_same_every_time(db):
    first, second = _names_built_then_rolled_back(), _names_built_then_rolled_back()
    assert len(first) > 250 and first == second
