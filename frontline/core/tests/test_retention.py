"""Retention (SECURITY 29–30): `manage.py retention` counts what is past its time (a dry
run changes nothing), `--apply` anonymises it — names, plates, places, free text — with
one audit row per kind, and every figure of the dashboard reads the same afterwards."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from frontline.checkpoints import services as checkpoints
from frontline.checkpoints.models import Passer
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.community import services as community
from frontline.community.models import CareVisit
from frontline.control import services as control
from frontline.control.models import Isolation, Reading, Referral
from frontline.control.tests.factories import isolation_make
from frontline.core.models import AuditEvent
from frontline.core.registry import registry
from frontline.core.retention import ANONYMISED

OLD = 40  # days ago: past the default 30


def _ago(days: int, hour: int = 9) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def history(world):
    """In 郑园村: a passer, two hand-overs and an ended isolation from 40 days ago, and the
    same from today."""
    checkpoint = checkpoint_make(world.zhengyuan, "郑园村东口")
    for key, days in (("old", OLD), ("new", 0)):
        checkpoints.passer_log(
            actor=world.volunteer_zhengyuan,
            checkpoint=checkpoint,
            idempotency_key=f"{key}-car",
            kind="vehicle",
            plate="苏G12345",
            origin="湖北武汉",
            destination="郑园村",
            temperature=Decimal("36.6"),
            outcome="pass",
            at=_ago(days, 10),
        )
        checkpoints.passer_log(
            actor=world.volunteer_zhengyuan,
            checkpoint=checkpoint,
            idempotency_key=f"{key}-fever",
            kind="person",
            origin="湖北武汉",
            temperature=Decimal("38.1"),
            name=f"王{key}",
            outcome="handed_over",
            at=_ago(days, 11),
        )
        control.referral_open(
            actor=world.cadre_zhengyuan,
            node=world.zhengyuan,
            source_kind="screening",
            name=f"李{key}",
            origin="温州",
            reason="排查发现",
        )
        isolation = isolation_make(world, world.zhengyuan_grid, f"郑{key}", days_ago=days + 14)
        control.reading_record(
            actor=world.health_zhengyuan,
            isolation=isolation,
            value="38.0",
            slot="am",
            taken_at=_ago(days + 2),
            symptoms="咳嗽",
        )
        control.isolation_end(
            actor=world.cadre_zhengyuan, isolation=isolation, status="ended_early", reason="转院"
        )
        Isolation.objects.filter(pk=isolation.pk).update(ended_at=_ago(days))
        Referral.objects.filter(name__endswith=key).update(created_at=_ago(days))
        community.care_visit_record(
            actor=world.cadre_zhengyuan,
            resident=isolation.key_person.resident,
            day=timezone.localdate() - timedelta(days=days),
            visitor_name=f"郑志愿{key}",
            temperature=Decimal("36.8"),
            needs="降压药快吃完了",
        )
    return checkpoint


def _figures(world) -> dict:
    start = timezone.localdate() - timedelta(days=90)
    end = timezone.localdate()
    return {
        key: figure.compute(world.district, start, end)
        for key, figure in registry().figures.items()
    }


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def _due(text: str) -> dict[str, int]:
    lines = [line.split("\t") for line in text.splitlines() if "\t" in line]
    return {line[0]: int(line[4].removeprefix("到期 ").removesuffix(" 条")) for line in lines}


def test_a_dry_run_counts_and_changes_nothing(history, world):
    before = list(Passer.objects.values_list("plate", "origin").order_by("pk"))
    events = AuditEvent.objects.count()
    out = _run()
    assert "预演" in out
    assert _due(out) == {
        "passers": 2,
        "readings": 1,
        "screening_persons": 1,
        "referrals": 1,
        "care_visits": 1,
    }
    assert list(Passer.objects.values_list("plate", "origin").order_by("pk")) == before
    assert AuditEvent.objects.count() == events


def test_apply_anonymises_what_is_due_and_keeps_every_figure(history, world):
    figures = _figures(world)
    out = _run("--apply")
    assert "已匿名化 2 条" in out
    old_day = timezone.localdate() - timedelta(days=OLD)
    old = Passer.objects.filter(day=old_day)
    assert set(old.values_list("plate", "origin", "destination", "note")) == {("", "", "", "")}
    assert sorted(old.values_list("temperature", flat=True)) == [Decimal("36.6"), Decimal("38.1")]
    new = Passer.objects.filter(day=timezone.localdate())
    assert set(new.values_list("origin", flat=True)) == {"湖北武汉"}
    assert set(Referral.objects.filter(name=ANONYMISED).values_list("origin", "reason")) == {
        ("", ANONYMISED)
    }
    assert Referral.objects.filter(name=ANONYMISED).count() == 2
    assert set(Referral.objects.exclude(name=ANONYMISED).values_list("name", flat=True)) == {
        "王new",
        "李new",
    }
    ended = Isolation.objects.get(key_person__resident__name="郑old")
    assert (ended.address, ended.end_reason) == (ANONYMISED, "")
    assert Reading.objects.get(isolation=ended).symptoms == ""
    assert Reading.objects.get(isolation__key_person__resident__name="郑new").symptoms == "咳嗽"
    # A care visit keeps its day, person and volunteer (the counts), and loses the health.
    visits = CareVisit.objects.order_by("day")
    assert [(v.temperature, v.needs) for v in visits] == [
        (None, ""),
        (Decimal("36.8"), "降压药快吃完了"),
    ]
    assert [v.visitor_name for v in visits] == ["郑志愿old", "郑志愿new"]
    assert _figures(world) == figures
    rows = AuditEvent.objects.filter(action="core.retention.anonymise")
    assert sorted(rows.values_list("object_type", flat=True)) == [
        "care_visits",
        "passers",
        "readings",
        "referrals",
        "screening_persons",
    ]
    passers = rows.get(object_type="passers")
    assert passers.fields == ["destination", "note", "origin", "plate"]
    assert "2 条" in passers.reason and "苏G" not in passers.reason
    assert set(_due(_run()).values()) == {0}  # nothing is due twice


def test_the_days_are_configurable_per_kind(history, settings):
    settings.RETENTION_DAYS = {"passers": OLD + 1, "referrals": 1}
    due = _due(_run())
    assert due["passers"] == 0 and due["referrals"] == 1 and due["readings"] == 1


def test_a_misspelt_kind_is_refused(settings, db):
    settings.RETENTION_DAYS = {"passer": 30}
    with pytest.raises(ImproperlyConfigured, match="passer"):
        _run()
