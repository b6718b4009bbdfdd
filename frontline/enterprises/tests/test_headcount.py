"""On-site headcount over time: a dated history, the newest figure shown and counted by the
dashboard as of its day; a future or long-past day is refused by name."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.core.registry import registry
from frontline.enterprises import services
from frontline.enterprises.models import Headcount
from frontline.enterprises.tests.factories import application_reviewed, enterprise_make


def _on_site(world, end):
    return registry().figures["employees_on_site"].compute(world.town, end, end)


def test_registering_and_changing_the_headcount_leaves_a_dated_history(world):
    enterprise = enterprise_make(world, onsite_headcount=30)
    services.enterprise_update(actor=world.town_leader, enterprise=enterprise, onsite_headcount=35)
    rows = list(Headcount.objects.filter(enterprise=enterprise).values_list("day", "onsite"))
    assert rows == [(timezone.localdate(), 35)]  # the same day: the second figure replaces


def test_the_figure_reads_the_latest_figure_on_or_before_its_day(world):
    today = timezone.localdate()
    enterprise = enterprise_make(world, onsite_headcount=10)
    Headcount.objects.filter(enterprise=enterprise).update(day=today - timedelta(days=5))
    app = application_reviewed(world, enterprise)
    services.application_approve(actor=world.town_leader, application=app)
    app.approved_on = today - timedelta(days=5)
    app.save(update_fields=["approved_on"])
    services.headcount_record(
        actor=world.town_leader, enterprise=enterprise, day=today - timedelta(days=2), onsite=40
    )
    services.headcount_record(actor=world.town_leader, enterprise=enterprise, day=today, onsite=55)
    assert _on_site(world, today - timedelta(days=4)) == 10
    assert _on_site(world, today - timedelta(days=1)) == 40
    assert _on_site(world, today) == 55
    enterprise.refresh_from_db()
    assert enterprise.onsite_headcount == 55


def test_a_late_entry_for_an_earlier_day_does_not_replace_the_current_figure(world):
    today = timezone.localdate()
    enterprise = enterprise_make(world, onsite_headcount=20)
    services.headcount_record(
        actor=world.town_leader, enterprise=enterprise, day=today - timedelta(days=3), onsite=5
    )
    enterprise.refresh_from_db()
    assert enterprise.onsite_headcount == 20


def test_a_future_day_and_a_day_long_past_are_refused(world):
    enterprise = enterprise_make(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.headcount_record(
            actor=world.town_leader, enterprise=enterprise, day=today + timedelta(days=1), onsite=1
        )
    with pytest.raises(ValidationError, match="天内的在岗人数"):
        services.headcount_record(
            actor=world.town_leader, enterprise=enterprise, day=today - timedelta(days=90), onsite=1
        )


def test_the_page_shows_the_history_newest_first_and_records_a_day(world, login):
    enterprise = enterprise_make(world, onsite_headcount=12)
    client = login(world.town_leader)
    yesterday = timezone.localdate() - timedelta(days=1)
    client.post(
        reverse("enterprises:headcount_record", args=[enterprise.pk]),
        {"day": yesterday.isoformat(), "onsite": "8"},
    )
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert page.index('text-nowrap">12 人') < page.index('text-nowrap">8 人')
    refused = client.post(
        reverse("enterprises:headcount_record", args=[enterprise.pk]),
        {"day": yesterday.isoformat(), "onsite": "-3"},
        follow=True,
    )
    assert "在岗人数" in refused.content.decode()
    assert Headcount.objects.get(enterprise=enterprise, day=yesterday).onsite == 8
