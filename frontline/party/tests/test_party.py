"""Party organisations as a branch secretary sees them: members one place at a time,
transfers that keep history, ended branches read-only, one pledge per call, assignments."""

import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.party import selectors, services
from frontline.party.models import Membership, OrgKind, PostKind
from frontline.party.tests.factories import (
    call_make,
    member_make,
    org_make,
    pledge_make,
    post_make,
)
from frontline.people.models import Tag
from frontline.people.tests.factories import resident_make


def _api(client, name, args, body):
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


def test_a_resident_belongs_to_one_organisation_at_a_time(world, login):
    first = org_make(world.sandian, "三店村党支部")
    second = org_make(world.sandian, "三店村第二党支部")
    membership = member_make(first, "王党员", node=world.sandian_grid)
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=world.cadre_sandian, org=second, resident=membership.resident, status="full"
        )
    assert refused.value.message_dict["resident"] == ["此人已在另一个党组织，请办理组织关系转接"]
    # The page says so too, and the tag on the resident came from the membership.
    client = login(world.cadre_sandian)
    response = client.post(
        reverse("party:member_add", args=[second.pk]),
        {"resident": membership.resident.pk, "status": "full", "start_date": "2020-02-01"},
    )
    assert response.status_code == 422 and "办理组织关系转接" in response.content.decode()
    assert list(membership.resident.tags.values_list("name", flat=True)) == ["党员"]


def test_a_transfer_keeps_the_old_membership_as_history(world, login):
    old = org_make(world.sandian, "三店村党支部")
    new = org_make(world.zhengyuan, "郑园村党支部")
    membership = member_make(old, "李转接")
    today = timezone.localdate()
    moved = services.member_transfer(
        actor=world.town_leader, membership=membership, org=new, on=today, reason="搬迁"
    )
    membership.refresh_from_db()
    assert membership.end_date == today and membership.end_reason == "搬迁"
    assert moved.is_current and moved.org == new and moved.status == "full"
    assert [m.org.name for m in selectors.history_of(moved)] == ["三店村党支部", "郑园村党支部"]
    page = login(world.cadre_sandian).get(reverse("party:org_detail", args=[old.pk]))
    assert "已转出" in page.content.decode() and "搬迁" in page.content.decode()
    # Transferring the ended membership again is refused.
    with pytest.raises(ValidationError, match="已经转出"):
        services.member_transfer(actor=world.town_leader, membership=membership, org=new)


def test_an_ended_temporary_branch_is_read_only(world):
    branch = org_make(world.sandian, "三店村卡口临时党支部", kind=OrgKind.TEMPORARY)
    member = member_make(branch, "赵临时")
    with pytest.raises(ValidationError, match="请先转出"):
        services.org_end(actor=world.cadre_sandian, org=branch, end_date=timezone.localdate())
    home = org_make(world.sandian, "三店村党支部")
    services.member_transfer(actor=world.cadre_sandian, membership=member, org=home)
    services.org_end(actor=world.cadre_sandian, org=branch, end_date=timezone.localdate())
    with pytest.raises(ValidationError, match="只能查看"):
        services.member_add(
            actor=world.cadre_sandian,
            org=branch,
            resident=resident_make(world.sandian, name="新人"),
            status="activist",
        )
    with pytest.raises(ValidationError, match="只能查看"):
        call_make(branch, world.cadre_sandian)


def test_one_pledge_per_member_per_call_and_keys_per_user(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian, "我是党员我先上")
    member = member_make(org, "孙请战")
    # The member writes on a phone, through the login the secretary linked to them.
    services.membership_account_set(
        actor=world.cadre_sandian, membership=member, account=world.volunteer_sandian
    )
    client = login(world.volunteer_sandian)
    body = {"member_id": member.pk, "availability": "每天", "idempotency_key": "phone-1"}
    first = _api(client, "api:party_pledge_submit", [call.pk], body)
    again = _api(client, "api:party_pledge_submit", [call.pk], body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    changed = _api(client, "api:party_pledge_submit", [call.pk], {**body, "skills": "驾驶"})
    assert changed.status_code == 409 and "idempotency_key" in changed.json()["detail"]
    # A second pledge (new key, or the secretary for the member) is refused in Chinese.
    second = _api(client, "api:party_pledge_submit", [call.pk], {**body, "idempotency_key": "2"})
    assert second.status_code == 422
    assert second.json()["errors"] == [
        {"field": "member", "message": "这名党员已经响应过这份倡议，一份倡议只能交一份请战书"}
    ]
    # Another user may use the same key: keys are the user's own.
    by_secretary = pledge_make(
        call, member_make(org, "周请战"), world.cadre_sandian, idempotency_key="phone-1"
    )
    assert by_secretary.entered_by == world.cadre_sandian


def test_assigned_and_reserve_counts_and_a_zone_gap(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian, "请战书征集")
    zone = post_make(world.sandian, PostKind.ZONE, "三店村一组责任区")
    pledges = [
        pledge_make(call, member_make(org, f"党员{n}"), world.cadre_sandian) for n in range(3)
    ]
    client = login(world.cadre_sandian)
    page = client.get(reverse("party:post_list"))
    assert "缺人：无人负责" in page.content.decode() and page.context["gaps"] == 1
    assigned = _api(
        client, "api:party_pledge_assign", [pledges[0].pk], {"kind": "zone", "post_id": zone.pk}
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    client.post(reverse("party:pledge_assign", args=[pledges[1].pk]), {"kind": "reserve"})
    refused = _api(client, "api:party_pledge_assign", [pledges[2].pk], {"kind": "team"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "note"
    counts = client.get(reverse("api:party_call_detail", args=[call.pk])).json()
    assert (counts["pledged"], counts["assigned"], counts["reserve"]) == (3, 1, 1)
    page = client.get(reverse("party:post_list"))
    assert page.context["gaps"] == 0 and "党员0" in page.content.decode()
    totals = client.get(reverse("party:org_detail", args=[org.pk])).context["totals"]
    assert (totals.pledged, totals.assigned, totals.reserve, totals.waiting) == (3, 1, 1, 1)


def test_members_are_shown_masked(world, login):
    org = org_make(world.sandian, "三店村党支部")
    resident = resident_make(world.sandian, name="钱手机", phone="13812348000")
    services.member_add(actor=None, org=org, resident=resident, status="probationary")
    page = login(world.volunteer_sandian).get(reverse("party:member_list")).content.decode()
    assert "钱手机" in page and "138****8000" in page and "13812348000" not in page


def test_the_party_tag_becomes_memberships_of_the_village_branch(world):
    migration = __import__(
        "frontline.party.migrations.0002_party_tag_into_memberships", fromlist=["x"]
    )
    party, activist = (Tag.objects.get(name=n) for n in ("党员", "入党积极分子"))
    members = [resident_make(world.sandian_grid, name=f"老党员{n}", tags=[party]) for n in range(3)]
    keen = resident_make(world.zhengyuan, name="积极分子", tags=[activist])
    resident_make(world.sandian, name="群众")
    existing = org_make(world.zhengyuan, "郑园村党支部")
    migration.tags_into_memberships(apps, None)
    current = Membership.objects.filter(end_date__isnull=True)
    assert current.count() == 4
    sandian = {m.org.name for m in current.filter(resident__in=members)}
    assert sandian == {"三店村党支部"}  # created for the village, not the grid
    assert current.get(resident=keen).org == existing
    assert current.get(resident=keen).status == "activist"
    migration.tags_into_memberships(apps, None)  # run twice: nobody twice
    assert Membership.objects.count() == 4


FIGURE_PAGES = {
    "party_orgs": "page",
    "calling_orgs": "page",
    "temporary_branches": "page",
    "party_members": "page",
    "activists": "page",
    "pledges": "page",
    "pioneer_posts": "rows",
    "responsibility_zones": "rows",
}


def test_each_figure_counts_the_rows_its_list_shows(world, login):
    from frontline.core.registry import registry

    today = timezone.localdate()
    branch = org_make(world.sandian, "三店村党支部")
    org_make(world.sandian, "三店村卡口临时党支部", kind=OrgKind.TEMPORARY)
    org_make(world.zhengyuan, "郑园村党支部")
    ended = org_make(world.sandian, "旧支部", start_date=date(2019, 1, 1))
    services.org_end(actor=world.cadre_sandian, org=ended, end_date=today - timedelta(days=30))
    call = call_make(branch, world.cadre_sandian)
    for n in range(3):
        pledge_make(call, member_make(branch, f"党员{n}"), world.cadre_sandian)
    member_make(branch, "积极分子一", status="activist")
    post_make(world.sandian, PostKind.ZONE)
    post_make(world.sandian, PostKind.PIONEER_POST, "先锋岗一")
    post_make(world.sandian, PostKind.PIONEER_POST, "先锋岗二")
    expected = {
        "party_orgs": 1,
        "calling_orgs": 1,
        "temporary_branches": 1,
        "party_members": 3,
        "activists": 1,
        "pledges": 3,
        "pioneer_posts": 2,
        "responsibility_zones": 1,
    }
    client = login(world.town_leader)
    for key, holder in FIGURE_PAGES.items():
        figure = registry().figures[key]
        value = figure.compute(world.sandian, today, today)
        response = client.get(figure.url(world.sandian, today, today))
        shown = response.context[holder]
        listed = shown.paginator.count if holder == "page" else len(shown)
        assert (key, value, listed) == (key, expected[key], expected[key])
    # The town's figure holds the other village's branch too.
    assert registry().figures["party_orgs"].compute(world.town, today, today) == 2
