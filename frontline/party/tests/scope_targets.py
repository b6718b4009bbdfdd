"""Objects in 郑园村 for every id-taking route of the party app."""

import itertools
from datetime import date

from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.party.models import Membership, PostKind
from frontline.party.tests.factories import (
    call_make,
    member_import_make,
    member_make,
    org_make,
    pledge_make,
    post_make,
)
from frontline.people.tests.factories import resident_make

SECRET = "郑园党支部密"  # an organisation name only 郑园村 may see in a list


_n = itertools.count(1)


def _org_of(world):
    return org_make(world.zhengyuan, name=f"{SECRET}{next(_n)}")


def _org(world) -> dict:
    return {"pk": _org_of(world).pk}


def _org_end(world) -> Call:
    return Call(_org(world), body={"end_date": "2020-03-01"})


def _member_add(world) -> Call:
    resident = resident_make(world.zhengyuan_grid, name="郑新党员")
    body = {"resident": resident.pk, "status": "full", "start_date": "2020-02-01"}
    return Call(_org(world), body=body)


def _membership(world):
    return member_make(_org_of(world), name="郑党员")


def _transfer(world) -> Call:
    membership = _membership(world)
    other = org_make(world.zhengyuan)
    return Call({"pk": membership.pk}, body={"org": other.pk, "on": date.today().isoformat()})


def _account(world) -> Call:
    """A 郑园村 member linked to a login of 郑园村 (a fresh one: a login links one member)."""
    membership = _membership(world)
    user = user_make(f"zhengyuan_member{next(_n)}", (Role.VOLUNTEER, world.zhengyuan))
    return Call({"pk": membership.pk}, body={"account": user.pk})


def _linked_membership(world) -> dict:
    made = _account(world)
    membership = Membership.objects.get(pk=made.kwargs["pk"])
    membership.account_id = made.body["account"]
    membership.save(update_fields=["account"])
    return {"pk": membership.pk}


def _call_of(world):
    return call_make(_org_of(world), world.zhengyuan_all, title="郑园倡议")


def _call(world) -> dict:
    return {"pk": _call_of(world).pk}


def _call_new(world) -> Call:
    return Call(_org(world), body={"title": "抗疫倡议", "text": "请党员到卡口值守"})


def _pledge_new(world) -> Call:
    call = _call_of(world)
    member = member_make(call.org, name="郑请战")
    body = {"member": member.pk, "availability": "每天上午", "idempotency_key": "walk-pledge-1"}
    return Call({"pk": call.pk}, body=body)


def _pledge_of(world):
    call = _call_of(world)
    return pledge_make(call, member_make(call.org, name="郑请战"), world.zhengyuan_all)


def _assign(world) -> Call:
    body = {"kind": "zone", "post": _post_of(world).pk}
    return Call({"pk": _pledge_of(world).pk}, body=body)


def _post_of(world):
    return post_make(world.zhengyuan, PostKind.ZONE, name=f"郑园责任区{next(_n)}")


def _holder(world) -> Call:
    post = _post_of(world)
    member = member_make(org_make(world.zhengyuan), name="郑上岗")
    return Call({"pk": post.pk}, body={"member": member.pk})


def _org_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "kind": "branch",
        "name": f"郑园村新支部{next(_n)}",
        "start_date": "2020-01-25",
        "parent": _org_of(world).pk,
    }
    return Call(body=body)


def _post_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "kind": "pioneer_post",
        "name": f"郑园先锋岗{next(_n)}",
        "org": _org_of(world).pk,
    }
    return Call(body=body)


def _list(world) -> Call:
    """A list narrowed to a node (a figure's link): another village's node is 404."""
    _org_of(world)
    return Call(query={"node": world.zhengyuan.pk})


# API
def _api_org_new(world) -> Call:
    parent = _org_of(world)
    body = {
        "node_id": world.zhengyuan.pk,
        "name": f"郑园村临时党支部{next(_n)}",
        "kind": "temporary",
        "site": "村口卡点",
        "start_date": "2020-01-26",
        "parent_id": parent.pk,
    }
    return Call(body=body)


def _api_member(world) -> Call:
    resident = resident_make(world.zhengyuan_grid, name="郑新党员")
    body = {"resident_id": resident.pk, "org_id": _org_of(world).pk, "status": "activist"}
    return Call(body=body)


def _api_call_new(world) -> Call:
    return Call(body={"org_id": _org_of(world).pk, "title": "倡议书", "text": "到一线去"})


def _api_call(world) -> Call:
    return Call({"call_id": _call_of(world).pk})


def _api_pledge(world) -> Call:
    made = _pledge_new(world)
    body = {"member_id": made.body["member"], "idempotency_key": "walk-pledge-api"}
    return Call({"call_id": made.kwargs["pk"]}, body=body)


def _api_assign(world) -> Call:
    post = _post_of(world)
    body = {"kind": "zone", "post_id": post.pk}
    return Call({"pledge_id": _pledge_of(world).pk}, body=body)


def _api_transfer(world) -> Call:
    membership = _membership(world)
    body = {"org_id": org_make(world.zhengyuan).pk, "reason": "搬迁"}
    return Call({"member_id": membership.pk}, body=body)


def _import(world) -> dict:
    org = _org_of(world)
    resident = resident_make(world.zhengyuan_grid, name="郑导入")
    row = ["郑导入", resident.id_number, org.name, "正式党员", "2020-02-01"]
    return {"pk": member_import_make(world.zhengyuan_all, [row]).pk}


def _oath_new(world) -> Call:
    org = _org_of(world)
    member = member_make(org, name="郑宣誓")
    body = {"held_on": "2020-07-01", "place": "郑园村委会", "attendees": [member.pk]}
    return Call({"pk": org.pk}, body=body)


def _flag_new(world) -> Call:
    org = _org_of(world)
    checkpoint = checkpoint_make(world.zhengyuan, name=f"郑园卡口{next(_n)}")
    return Call({"pk": org.pk}, body={"checkpoint_id": checkpoint.pk, "since": "2020-02-01"})


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"

TARGETS = {
    "party:org_list": ScopeTarget("party.view", get=_list),
    "party:member_list": ScopeTarget("party.view", get=_list),
    "party:pledge_list": ScopeTarget("party.view", get=_list),
    "party:post_list": ScopeTarget("party.view", get=_list),
    "party:org_detail": ScopeTarget("party.view", get=_org),
    "party:org_end": ScopeTarget("party.manage", post=_org_end),
    "party:member_add": ScopeTarget("party.manage", get=_org, post=_member_add),
    "party:member_transfer": ScopeTarget(
        "party.manage", get=lambda w: {"pk": _membership(w).pk}, post=_transfer
    ),
    "party:member_account": ScopeTarget(
        "party.manage", get=lambda w: {"pk": _membership(w).pk}, post=_account
    ),
    "party:member_account_unlink": ScopeTarget("party.manage", post=_linked_membership),
    "party:call_create": ScopeTarget("party.manage", get=_org, post=_call_new),
    "party:call_detail": ScopeTarget("party.view", get=_call),
    "party:pledge_create": ScopeTarget("party.pledge", get=_call, post=_pledge_new),
    "party:pledge_assign": ScopeTarget("party.manage", post=_assign),
    "party:post_holder_add": ScopeTarget(
        "party.manage", get=lambda w: {"pk": _post_of(w).pk}, post=_holder
    ),
    "party:org_create": ScopeTarget(
        "party.manage", post=_org_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "party:post_create": ScopeTarget(
        "party.manage", post=_post_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "party:oath_list": ScopeTarget("party.view", get=_org),
    "party:oath_create": ScopeTarget("party.manage", get=_org, post=_oath_new),
    "party:flag_create": ScopeTarget("party.manage", get=_org, post=_flag_new),
    "party:flag_list": ScopeTarget("party.view", get=_list),
    "party:member_import_preview": ScopeTarget("party.manage", get=_import),
    "party:member_import_errors": ScopeTarget("party.manage", get=_import),
    "party:member_import_commit": ScopeTarget("party.manage", post=_import),
    "api:party_member_transfer": ScopeTarget("party.manage", post=_api_transfer),
    "api:party_org_create": ScopeTarget("party.manage", post=_api_org_new),
    "api:party_member_add": ScopeTarget("party.manage", post=_api_member),
    "api:party_call_create": ScopeTarget("party.manage", post=_api_call_new),
    "api:party_call_detail": ScopeTarget("party.view", get=_api_call),
    "api:party_pledge_submit": ScopeTarget("party.pledge", post=_api_pledge),
    "api:party_pledge_assign": ScopeTarget("party.manage", post=_api_assign),
}
