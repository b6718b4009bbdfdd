"""A secretary links a member to the member's own login (and unlinks it), audited: only a
login holding a role within the organisation's place, and linked to no other member; the
link follows the member through a transfer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.party import services
from frontline.party.models import Membership
from frontline.party.services import ACCOUNT_NO_ROLE, ACCOUNT_TAKEN
from frontline.party.tests.factories import call_make, member_make, org_make


def _link(world, membership, user):
    return services.membership_account_set(
        actor=world.cadre_sandian, membership=membership, account=user
    )


def test_a_secretary_links_a_volunteer_and_unlinks_on_the_page(world, login):
    org = org_make(world.sandian, "三店村党支部")
    member = member_make(org, "孙志强")
    client = login(world.cadre_sandian)
    detail = client.get(reverse("party:org_detail", args=[org.pk])).content.decode()
    url = reverse("party:member_account", args=[member.pk])
    assert url in detail and "绑定账号" in detail
    page = client.get(url).content.decode()
    # The village's logins by name and role; none of another village.
    assert "volunteer_sandian · 党员志愿者" in page and "volunteer_zhengyuan" not in page
    done = client.post(url, {"account": world.volunteer_sandian.pk})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.account == world.volunteer_sandian
    linked = AuditEvent.objects.get(action="party.membership.account_link")
    assert (linked.actor, linked.object_id, linked.fields) == (
        world.cadre_sandian,
        str(member.pk),
        ["account"],
    )
    assert "账号已绑定" in client.get(reverse("party:org_detail", args=[org.pk])).content.decode()
    assert "解除绑定" in client.get(url).content.decode()

    unlinked = client.post(reverse("party:member_account_unlink", args=[member.pk]))
    assert unlinked.status_code == 302
    member.refresh_from_db()
    assert member.account is None
    assert AuditEvent.objects.filter(action="party.membership.account_unlink").count() == 1


def test_it_refuses_a_login_with_no_role_within_the_organisations_place(world, login):
    org = org_make(world.sandian, "三店村党支部")
    member = member_make(org, "孙志强")
    # Another village's volunteer, and the town's leader (above the village, not within it).
    for user in (world.volunteer_zhengyuan, world.town_leader):
        with pytest.raises(ValidationError) as refused:
            _link(world, member, user)
        assert refused.value.message_dict == {"account": [ACCOUNT_NO_ROLE]}
    page = login(world.cadre_sandian).post(
        reverse("party:member_account", args=[member.pk]),
        {"account": world.volunteer_zhengyuan.pk},
    )
    assert page.status_code == 422
    member.refresh_from_db()
    assert member.account is None
    assert not AuditEvent.objects.filter(action__startswith="party.membership.account").exists()


def test_it_refuses_a_login_already_linked_to_another_member(world, login):
    org = org_make(world.sandian, "三店村党支部")
    first, second = member_make(org, "孙志强"), member_make(org, "孙二")
    _link(world, first, world.volunteer_sandian)
    with pytest.raises(ValidationError) as refused:
        _link(world, second, world.volunteer_sandian)
    assert refused.value.message_dict == {"account": [ACCOUNT_TAKEN]}
    # Nor is it offered for the second member.
    page = login(world.cadre_sandian).get(reverse("party:member_account", args=[second.pk]))
    assert "volunteer_sandian" not in page.content.decode()
    second.refresh_from_db()
    assert second.account is None


def test_a_volunteer_may_not_link_logins(world, login):
    member = member_make(org_make(world.sandian, "三店村党支部"), "孙志强")
    client = login(world.volunteer_sandian)
    assert client.get(reverse("party:member_account", args=[member.pk])).status_code == 404
    answer = client.post(
        reverse("party:member_account", args=[member.pk]), {"account": world.volunteer_sandian.pk}
    )
    assert answer.status_code == 404
    member.refresh_from_db()
    assert member.account is None


def test_a_secretary_of_another_village_gets_404(world, login):
    member = member_make(org_make(world.zhengyuan, "郑园村党支部"), "郑党员")
    client = login(world.cadre_sandian)
    assert client.get(reverse("party:member_account", args=[member.pk])).status_code == 404
    unlink = client.post(reverse("party:member_account_unlink", args=[member.pk]))
    assert unlink.status_code == 404


def test_a_transfer_keeps_the_link_and_the_member_still_pledges(world, login):
    home, other = org_make(world.sandian, "三店村党支部"), org_make(world.sandian, "三店村第二支部")
    member = _link(world, member_make(home, "孙志强"), world.volunteer_sandian)
    moved = services.member_transfer(actor=world.cadre_sandian, membership=member, org=other)
    assert moved.account == world.volunteer_sandian
    assert Membership.objects.get(account=world.volunteer_sandian, end_date__isnull=True) == moved
    call = call_make(other, world.cadre_sandian)
    pledge, created = services.pledge_submit(
        actor=world.volunteer_sandian, call=call, membership=None, idempotency_key="k"
    )
    assert created and pledge.membership == moved
