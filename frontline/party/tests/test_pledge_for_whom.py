"""A pledge (请战书) is entered in a member's name only by a secretary who manages the
member's organisation: a volunteer, whose account is linked to no member, can neither pick
another member nor mark the pledge 书记代填, on the page or through the API."""

import json

from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.party.models import Pledge
from frontline.party.services import PLEDGE_BY_SECRETARY
from frontline.party.tests.factories import call_make, member_make, org_make


def _api(client, name, args, body):
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


def test_a_volunteer_cannot_pledge_in_another_members_name_on_the_page(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    other = member_make(org, "孙别人")
    client = login(world.volunteer_sandian)
    url = reverse("party:pledge_create", args=[call.pk])
    page = client.get(url)
    text = page.content.decode()
    # No picker of the village's members, no 书记代填 box: a clear sentence instead.
    assert page.status_code == 200 and PLEDGE_BY_SECRETARY in text
    assert "孙别人" not in text and 'name="by_secretary"' not in text
    assert (
        reverse("party:pledge_create", args=[call.pk])
        not in client.get(reverse("party:call_detail", args=[call.pk])).content.decode()
    )
    body = {"member": other.pk, "by_secretary": "on", "availability": "每天"}
    refused = client.post(url, {**body, "idempotency_key": "k"})
    assert refused.status_code == 422 and PLEDGE_BY_SECRETARY in refused.content.decode()
    assert not Pledge.objects.exists()
    assert not AuditEvent.objects.filter(action="party.pledge.create").exists()


def test_a_volunteer_cannot_pledge_in_another_members_name_through_the_api(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    other = member_make(org, "孙别人")
    client = login(world.volunteer_sandian)
    for by_secretary in (True, False):
        refused = _api(
            client,
            "api:party_pledge_submit",
            [call.pk],
            {"member_id": other.pk, "by_secretary": by_secretary, "idempotency_key": "k"},
        )
        assert refused.status_code == 422
        assert refused.json()["errors"] == [{"field": "member", "message": PLEDGE_BY_SECRETARY}]
    assert not Pledge.objects.exists()


def test_a_secretary_still_enters_a_pledge_for_a_member(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    member = member_make(org, "孙请战")
    client = login(world.cadre_sandian)
    url = reverse("party:pledge_create", args=[call.pk])
    assert "孙请战" in client.get(url).content.decode()
    body = {"member": member.pk, "by_secretary": "on", "availability": "每天"}
    done = client.post(url, {**body, "idempotency_key": "k"})
    assert done.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.membership, pledge.by_secretary, pledge.entered_by) == (
        member,
        True,
        world.cadre_sandian,
    )
    assert "书记代填" in client.get(reverse("party:call_detail", args=[call.pk])).content.decode()
