"""Community work as a village records it: publicity (with control's 送咨询 counted in),
两个一律, care visits, family help, exemplars; figures agree with their pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.community import figures, services
from frontline.control.models import ServiceKind
from frontline.control.services.deliveries import service_record
from frontline.core.models import AuditEvent
from frontline.people.tests.factories import resident_make

pytestmark = pytest.mark.django_db


def test_leaflets_include_control_consultations_and_agree_with_the_page(world, login):
    today = timezone.localdate()
    services.publicity_record(
        actor=world.cadre_sandian, node=world.sandian, day=today, leaflets=300
    )
    services.publicity_record(
        actor=world.cadre_zhengyuan, node=world.zhengyuan, day=today, leaflets=120
    )
    resident = resident_make(world.sandian_grid, name="王大爷")
    kind = ServiceKind.objects.get(name__startswith="送咨询")
    service_record(
        actor=world.sandian_all, resident=resident, kind=kind, delivered_on=today, quantity=5
    )
    assert figures.leaflets(world.town, today, today) == 425
    assert figures.leaflets(world.sandian, today, today) == 305
    page = login(world.town_leader).get(figures.publicity_page(world.town, today, today))
    totals = [int(part.split('"')[0]) for part in page.text.split('data-total="')[1:]]
    assert sum(totals) == 425
    assert "三店村" in page.text and "305" in page.text


def test_a_leaflet_count_beyond_plausible_is_refused_by_the_api(world, login):
    answer = login(world.cadre_sandian).post(
        "/api/v1/community/publicity",
        {"node_id": world.sandian.pk, "day": str(timezone.localdate()), "leaflets": 10**7},
        content_type="application/json",
    )
    assert answer.status_code == 422


def test_family_events_are_counted_per_village_and_by_kind(world, login):
    today = timezone.localdate()
    bride = resident_make(world.sandian_grid, name="李芳")
    elder = resident_make(world.zhengyuan_grid, name="郑老汉")
    client = login(world.cadre_sandian)
    answer = client.post(
        "/api/v1/community/family-events",
        {
            "resident_id": bride.pk,
            "kind": "wedding_postponed",
            "planned_on": str(today),
            "new_date": str(today + timedelta(days=90)),
        },
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["kind_label"] == "红事延办"
    other = client.post(
        "/api/v1/community/family-events",
        {"resident_id": elder.pk, "kind": "funeral_simplified", "planned_on": str(today)},
        content_type="application/json",
    )
    assert other.status_code == 404
    services.family_event_record(
        actor=world.cadre_zhengyuan, resident=elder, kind="funeral_simplified", planned_on=today
    )
    assert figures.weddings_postponed(world.town, today, today) == 1
    assert figures.funerals_simplified(world.town, today, today) == 1
    page = login(world.town_leader).get(figures.events_page("funerals")(world.town, today, today))
    assert page.text.count("data-row") == 1 and "郑老汉户" in page.text
    wrong = client.post(
        "/api/v1/community/family-events",
        {
            "resident_id": bride.pk,
            "kind": "wedding_postponed",
            "planned_on": str(today),
            "new_date": str(today),
        },
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "晚于原定日期" in wrong.json()["detail"]


def test_a_care_visit_reads_the_temperature_as_typed_and_the_list_read_is_audited(world, login):
    today = timezone.localdate()
    grandma = resident_make(world.sandian_grid, name="孙奶奶")
    client = login(world.volunteer_sandian)
    answer = client.post(
        "/api/v1/community/care-visits",
        {
            "resident_id": grandma.pk,
            "day": str(today),
            "visitor_name": "孙志强",
            "temperature": "３６．６℃",
            "disinfected": True,
            "needs": "缺降压药",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["temperature"] == 36.6
    bad = client.post(
        "/api/v1/community/care-visits",
        {
            "resident_id": grandma.pk,
            "day": str(today),
            "visitor_name": "孙志强",
            "temperature": "45",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and "不合理" in bad.json()["detail"]
    services.care_visit_record(
        actor=world.volunteer_sandian, resident=grandma, day=today, visitor_name="刘晓燕"
    )
    services.care_visit_record(
        actor=world.volunteer_sandian, resident=grandma, day=today, visitor_name="孙志强"
    )
    assert figures.care_visits(world.town, today, today) == 3
    assert figures.care_volunteers(world.town, today, today) == 2
    leader = login(world.town_leader)
    visits = leader.get(figures.care_page(world.town, today, today))
    assert visits.text.count("data-row") == 3 and "36.6°C" in visits.text
    assert AuditEvent.objects.filter(action="community.care_visit.list").exists()
    volunteers = leader.get(figures.volunteers_page(world.town, today, today))
    assert volunteers.text.count("data-row") == 2


def test_a_care_visit_on_the_page_finds_the_resident_by_name(world, login):
    resident_make(world.sandian_grid, name="孙奶奶")
    client = login(world.volunteer_sandian)
    url = reverse("community:care_visit_new")
    body = {
        "resident_name": "孙奶奶",
        "day": timezone.localdate(),
        "visitor_name": "孙志强",
        "temperature": "36.4",
    }
    assert client.post(url, body).status_code == 302
    missing = client.post(url, {**body, "resident_name": "郑老汉"})
    assert missing.status_code == 422 and "没有找到" in missing.text


def test_exemplars_and_family_help_show_per_village(world, login):
    today = timezone.localdate()
    client = login(world.cadre_sandian)
    answer = client.post(
        "/api/v1/community/exemplars",
        {
            "node_id": world.sandian.pk,
            "name": "三店巾帼先锋队",
            "is_team": True,
            "title": "巾帼不让须眉",
            "story": "二十名妇女日夜值守村口。",
            "day": str(today),
        },
        content_type="application/json",
    )
    assert answer.status_code == 201
    services.family_help_record(
        actor=world.cadre_sandian,
        node=world.sandian,
        worker_name="徐开光",
        difficulty="孩子无人照看",
        helper_name="张秀兰",
        day=today,
    )
    assert figures.exemplars(world.town, today, today) == 1
    page = login(world.town_leader).get(figures.exemplars_page(world.town, today, today))
    assert page.text.count("data-row") == 1 and "三店巾帼先锋队" in page.text
    assert (
        "三店巾帼先锋队"
        not in login(world.cadre_zhengyuan).get(reverse("community:exemplars")).text
    )
    assert "徐开光家" in login(world.cadre_sandian).get(reverse("community:family_help")).text


def test_a_village_figure_of_a_past_day_links_to_that_village_and_day_only(world, login):
    """Each figure's list, narrowed to 三店村 and yesterday, holds the rows it counts: not
    郑园村's, not today's."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    for actor, node, day, leaflets in (
        (world.cadre_sandian, world.sandian, yesterday, 300),
        (world.cadre_sandian, world.sandian, today, 70),
        (world.cadre_zhengyuan, world.zhengyuan, yesterday, 120),
    ):
        services.publicity_record(actor=actor, node=node, day=day, leaflets=leaflets)
    for actor, node, day, name in (
        (world.cadre_sandian, world.sandian, yesterday, "三店昨日先锋"),
        (world.cadre_sandian, world.sandian, today, "三店今日先锋"),
        (world.cadre_zhengyuan, world.zhengyuan, yesterday, "郑园昨日先锋"),
    ):
        services.exemplar_record(
            actor=actor, node=node, name=name, is_team=False, title="先锋", story="值守", day=day
        )
    client = login(world.town_leader)
    assert figures.leaflets(world.sandian, yesterday, yesterday) == 300
    page = client.get(figures.publicity_page(world.sandian, yesterday, yesterday)).text
    assert [int(p.split('"')[0]) for p in page.split('data-total="')[1:]] == [300]
    assert figures.exemplars(world.sandian, yesterday, yesterday) == 1
    page = client.get(figures.exemplars_page(world.sandian, yesterday, yesterday)).text
    assert page.count("data-row") == 1 and "三店昨日先锋" in page
    assert "郑园昨日先锋" not in page and "三店今日先锋" not in page
    outsider = login(world.cadre_sandian)
    assert outsider.get(figures.care_page(world.zhengyuan, yesterday, yesterday)).status_code == 404
