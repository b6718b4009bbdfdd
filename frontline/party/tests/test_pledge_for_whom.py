"""A pledge (请战书) is written by the member, as the member their login is linked to, or
entered for any member by a secretary who manages the member's organisation: anyone else
can neither name another member nor mark the pledge 书记代填, on the page or in the API."""

import json

from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.party import services
from frontline.party.models import Pledge
from frontline.party.services import PLEDGE_NOT_LINKED, PLEDGE_OWN_ONLY
from frontline.party.tests.factories import call_make, member_make, org_make


def _api(client, name, args, body):
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


def _linked(world, membership, user):
    return services.membership_account_set(
        actor=world.cadre_sandian, membership=membership, account=user
    )


def _setting(world):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    own = _linked(world, member_make(org, "孙志强"), world.volunteer_sandian)
    other = member_make(org, "孙别人")
    return call, own, other


def test_a_linked_volunteer_pledges_on_the_page_as_their_own_member(world, login):
    call, own, _other = _setting(world)
    client = login(world.volunteer_sandian)
    call_page = client.get(reverse("party:call_detail", args=[call.pk])).content.decode()
    url = reverse("party:pledge_create", args=[call.pk])
    assert url in call_page
    text = client.get(url).content.decode()
    # Whose name it goes in, and no picker of the village's members, no 书记代填 box.
    assert '以 <span class="fw-semibold">孙志强</span> 的名义提交' in text
    assert "孙别人" not in text and 'name="member"' not in text
    assert 'name="by_secretary"' not in text
    done = client.post(
        url, {"availability": "每天上午", "by_secretary": "on", "idempotency_key": "k"}
    )
    assert done.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.membership, pledge.by_secretary, pledge.entered_by) == (
        own,
        False,
        world.volunteer_sandian,
    )
    assert AuditEvent.objects.filter(action="party.pledge.create", actor=world.volunteer_sandian)


def test_a_linked_volunteer_pledges_through_the_api_without_naming_a_member(world, login):
    call, own, _other = _setting(world)
    client = login(world.volunteer_sandian)
    body = {"availability": "全天", "by_secretary": True, "idempotency_key": "phone-1"}
    made = _api(client, "api:party_pledge_submit", [call.pk], body)
    assert made.status_code == 201
    assert (made.json()["member_id"], made.json()["by_secretary"]) == (own.pk, False)
    # Naming their own member is the same pledge; a resend of the key returns it.
    again = _api(client, "api:party_pledge_submit", [call.pk], {**body, "member_id": own.pk})
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]


def test_a_linked_volunteer_naming_another_member_is_refused_on_the_page(world, login):
    call, _own, other = _setting(world)
    client = login(world.volunteer_sandian)
    body = {
        "member": other.pk,
        "by_secretary": "on",
        "availability": "每天",
        "idempotency_key": "k",
    }
    refused = client.post(reverse("party:pledge_create", args=[call.pk]), body)
    assert refused.status_code == 422 and PLEDGE_OWN_ONLY in refused.content.decode()
    assert not Pledge.objects.exists()
    assert not AuditEvent.objects.filter(action="party.pledge.create").exists()


def test_a_linked_volunteer_naming_another_member_is_refused_through_the_api(world, login):
    call, _own, other = _setting(world)
    client = login(world.volunteer_sandian)
    for by_secretary in (True, False):
        refused = _api(
            client,
            "api:party_pledge_submit",
            [call.pk],
            {"member_id": other.pk, "by_secretary": by_secretary, "idempotency_key": "k"},
        )
        assert refused.status_code == 422
        assert refused.json()["errors"] == [{"field": "member", "message": PLEDGE_OWN_ONLY}]
    assert not Pledge.objects.exists()


def test_an_unlinked_volunteer_is_told_to_ask_the_secretary(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    other = member_make(org, "孙别人")
    client = login(world.volunteer_sandian)
    url = reverse("party:pledge_create", args=[call.pk])
    page = client.get(url).content.decode()
    # The sentence instead of a form: nothing to fill in, nobody to pick.
    assert PLEDGE_NOT_LINKED in page and "孙别人" not in page
    assert 'name="availability"' not in page
    assert url not in client.get(reverse("party:call_detail", args=[call.pk])).content.decode()
    refused = client.post(url, {"member": other.pk, "availability": "每天", "idempotency_key": "k"})
    assert refused.status_code == 422 and PLEDGE_NOT_LINKED in refused.content.decode()
    for body in ({}, {"member_id": other.pk}):
        answer = _api(
            client, "api:party_pledge_submit", [call.pk], {**body, "idempotency_key": "k"}
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == [{"field": "member", "message": PLEDGE_NOT_LINKED}]
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
