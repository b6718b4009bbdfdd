"""Transfers through the API keep dated history; oath events list who stood there; a flag
at a checkpoint links its branch and is counted by the flag_sites figure."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.registry import registry
from frontline.party import selectors, services
from frontline.party.models import FlagSite, Membership, OathAttendee
from frontline.party.tests.factories import member_make, oath_make, org_make
from frontline.people.tests.factories import resident_make


def _post(client, name, args, body):
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


def test_a_transfer_through_the_api_ends_the_old_membership_and_keeps_it(world, login):
    old = org_make(world.sandian, "三店村党支部")
    new = org_make(world.sandian, "三店村卡口临时党支部", kind="temporary")
    membership = member_make(old, "马转接")
    client = login(world.cadre_sandian)
    day = timezone.localdate()
    answer = _post(
        client,
        "api:party_member_transfer",
        [membership.pk],
        {"org_id": new.pk, "on": day.isoformat(), "reason": "到卡口值守"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["org_id"] == new.pk and body["start_date"] == day.isoformat()
    assert body["end_date"] is None and body["person"]["name"] == "马转接"
    history = selectors.history_of(Membership.objects.get(pk=body["id"]))
    assert [(m.org_id, m.start_date, m.end_date) for m in history] == [
        (old.pk, membership.start_date, day),
        (new.pk, day, None),
    ]
    assert history[0].end_reason == "到卡口值守"
    # The ended membership cannot move again, and the answer names the field in Chinese.
    again = _post(client, "api:party_member_transfer", [membership.pk], {"org_id": old.pk})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "org", "message": "这条组织关系已经转出，不能再转"}]


def test_a_member_in_two_organisations_at_once_is_refused_by_the_api(world, login):
    first = org_make(world.sandian, "三店村党支部")
    second = org_make(world.sandian, "三店村第二党支部")
    membership = member_make(first, "林两处")
    client = login(world.cadre_sandian)
    body = {"resident_id": membership.resident_id, "org_id": second.pk, "status": "full"}
    answer = _post(client, "api:party_member_add", [], body)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "resident", "message": "此人已在另一个党组织，请办理组织关系转接"}
    ]
    assert Membership.objects.filter(resident_id=membership.resident_id).count() == 1


def test_a_transfer_to_another_villages_branch_is_404_for_a_village_cadre(world, login):
    membership = member_make(org_make(world.sandian, "三店村党支部"), "唐外转")
    theirs = org_make(world.zhengyuan, "郑园村党支部")
    answer = _post(
        login(world.cadre_sandian),
        "api:party_member_transfer",
        [membership.pk],
        {"org_id": theirs.pk},
    )
    assert answer.status_code == 404
    assert Membership.objects.get(pk=membership.pk).is_current


def test_an_oath_event_lists_members_and_activists_present(world, login):
    org = org_make(world.sandian, "三店村党支部")
    member = member_make(org, "许党员", status="probationary")
    keen = member_make(org, "何积极", status="activist")
    member_make(org, "不在场")
    client = login(world.cadre_sandian)
    answer = client.post(
        reverse("party:oath_create", args=[org.pk]),
        {"held_on": "2020-07-01", "place": "三店村党员活动室", "attendees": [member.pk, keen.pk]},
    )
    assert answer.status_code == 302
    page = client.get(reverse("party:oath_list", args=[org.pk])).content.decode()
    assert "2020-07-01" in page and "三店村党员活动室" in page
    assert "许党员（预备党员）" in page and "何积极（入党积极分子）" in page
    assert "不在场" not in page
    assert (
        reverse("party:oath_list", args=[org.pk])
        in client.get(reverse("party:org_detail", args=[org.pk])).content.decode()
    )


def test_an_oath_refuses_a_future_day_nobody_and_a_member_of_another_branch(world, login):
    org = org_make(world.sandian, "三店村党支部")
    other = member_make(org_make(world.sandian, "三店村第二党支部"), "外支部")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        oath_make(org, world.cadre_sandian, [member_make(org, "甲")], held_on=tomorrow)
    assert refused.value.message_dict == {"held_on": ["宣誓日期不能晚于今天"]}
    with pytest.raises(ValidationError, match="请选择参加宣誓"):
        oath_make(org, world.cadre_sandian, [])
    with pytest.raises(ValidationError, match="本组织及下级组织"):
        oath_make(org, world.cadre_sandian, [other])
    # The page says so in Chinese, naming the field, and stores nothing.
    answer = login(world.cadre_sandian).post(
        reverse("party:oath_create", args=[org.pk]),
        {"held_on": "2020-07-01", "place": "村委会", "attendees": [other.pk]},
    )
    assert answer.status_code == 422 and not OathAttendee.objects.exists()


def test_a_flag_at_a_checkpoint_links_its_branch_on_the_checkpoint_page(world, login):
    org = org_make(world.sandian, "三店村党支部")
    checkpoint = checkpoint_make(world.sandian, "三店村东卡口", party_branch="三店村支部（旧）")
    client = login(world.cadre_sandian)
    before = client.get(reverse("checkpoints:detail", args=[checkpoint.pk])).content.decode()
    assert "三店村支部（旧）" in before
    answer = client.post(
        reverse("party:flag_create", args=[org.pk]),
        {"checkpoint_id": checkpoint.pk, "since": "2020-02-01"},
    )
    assert answer.status_code == 302
    site = FlagSite.objects.get()
    assert (site.name, site.node, site.org) == ("三店村东卡口", world.sandian, org)
    page = client.get(reverse("checkpoints:detail", args=[checkpoint.pk])).content.decode()
    link = reverse("party:org_detail", args=[org.pk])
    assert f'<a href="{link}">三店村党支部</a>' in page
    listed = client.get(reverse("party:flag_list")).content.decode()
    assert "三店村东卡口" in listed and link in listed
    # One organisation's flag per checkpoint.
    second = org_make(world.sandian, "三店村第二党支部")
    with pytest.raises(ValidationError) as refused:
        services.flag_plant(actor=world.cadre_sandian, org=second, checkpoint_id=checkpoint.pk)
    assert refused.value.message_dict == {"checkpoint": ["这个卡口已经有党组织的旗帜"]}


def test_a_flag_cannot_fly_at_another_villages_checkpoint(world, login):
    org = org_make(world.sandian, "三店村党支部")
    theirs = checkpoint_make(world.zhengyuan, "郑园村卡口")
    with pytest.raises(ValidationError, match="本组织辖区内的卡口"):
        services.flag_plant(actor=world.cadre_sandian, org=org, checkpoint_id=theirs.pk)
    answer = login(world.cadre_sandian).post(
        reverse("party:flag_create", args=[org.pk]), {"checkpoint_id": theirs.pk}
    )
    assert answer.status_code == 422 and not FlagSite.objects.exists()


def test_the_checkpoint_page_links_the_flag_only_for_who_may_open_it(world, login):
    town_org = org_make(world.town, "开发区党工委", kind="committee")
    checkpoint = checkpoint_make(world.sandian, "三店村西卡口", party_branch="党工委")
    services.flag_plant(actor=None, org=town_org, checkpoint_id=checkpoint.pk)
    link = reverse("party:org_detail", args=[town_org.pk])
    village = login(world.cadre_sandian).get(reverse("checkpoints:detail", args=[checkpoint.pk]))
    assert link not in village.content.decode()
    assert link not in login(world.cadre_sandian).get(reverse("party:flag_list")).content.decode()
    town = login(world.town_leader).get(reverse("checkpoints:detail", args=[checkpoint.pk]))
    assert link in town.content.decode()


def test_the_flag_sites_figure_counts_the_rows_its_list_shows(world, login):
    today = timezone.localdate()
    org = org_make(world.sandian, "三店村党支部")
    for name in ("三店村东卡口", "三店村西卡口"):
        services.flag_plant(
            actor=None, org=org, checkpoint_id=checkpoint_make(world.sandian, name).pk
        )
    services.flag_plant(actor=None, org=org, name="三店村集中隔离点")
    ended = org_make(world.sandian, "旧临时支部", kind="temporary")
    services.flag_plant(actor=None, org=ended, name="旧排查组")
    services.org_end(actor=world.town_leader, org=ended, end_date=today)
    services.flag_plant(
        actor=None, org=org_make(world.zhengyuan), checkpoint_id=checkpoint_make(world.zhengyuan).pk
    )
    figure = registry().figures["flag_sites"]
    assert (figure.label, figure.unit, figure.kind) == ("党旗插在一线的点位", "个", "latest")
    value = figure.compute(world.sandian, today, today)
    shown = login(world.town_leader).get(figure.url(world.sandian, today, today)).context["sites"]
    assert value == len(shown) == 3
    assert figure.compute(world.town, today, today) == 4
    resident_make(world.sandian, name="无关")  # people change nothing
    assert figure.compute(world.sandian, today - timedelta(days=400), today) == 3
