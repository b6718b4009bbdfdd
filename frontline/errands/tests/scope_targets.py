"""Objects in 郑园村 for every id-taking route of the errands app.

The household's own page (`errands:household_page`, `household_confirm`, `household_cancel`)
is opened by its QR token, not by a user's scope: test_household_page proves that a
household reaches its own errands only.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.core.models import User
from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.errands import services
from frontline.errands.tests.factories import errand_make, household_make
from frontline.people.tests.factories import resident_make

OWNER = "zhengyuan_all"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _owner() -> User:
    return User.objects.get(username=OWNER)


def _household(world):
    return household_make(world.zhengyuan, name="郑奶奶", address="郑园村2组6号")


def _submitted(world) -> dict:
    return {"pk": errand_make(_household(world)).pk}


def _claimed(world):
    errand = errand_make(_household(world))
    return services.errand_claim(actor=_owner(), errand=errand)


def _bought(world):
    return services.errand_bought(
        actor=_owner(), errand=_claimed(world), actual_cost=Decimal("12"), receipt=PNG
    )


def _delivered(world):
    return services.errand_deliver(actor=_owner(), errand=_bought(world))


def _confirmed(world):
    return services.errand_confirm(actor=None, errand=_delivered(world))


def _pk(make):
    return lambda world: {"pk": make(world).pk}


def _bought_form(world) -> Call:
    return Call({"pk": _claimed(world).pk}, body={"actual_cost": "12.50"})


def _phone_form(world) -> Call:
    return Call({"pk": _bought(world).pk}, body={"reason": "送达前联系住户"})


def _settle_form(world) -> Call:
    return Call({"pk": _confirmed(world).pk}, body={"settlement": "paid"})


def _cancel_form(world) -> Call:
    return Call(_submitted(world), body={"cancel_reason": "家人已买"})


def _household_pk(world) -> dict:
    return {"pk": _household(world).pk}


def _ask_form(world) -> Call:
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    body = {"vegetables": "白菜", "budget": "30", "deliver_by": later, "idempotency_key": "k1"}
    return Call(_household_pk(world), body=body)


def _series_form(world) -> Call:
    body = {"description": "午餐一份", "deliver_time": "11:30", "budget": "15"}
    return Call(_household_pk(world), body=body)


def _series(world) -> dict:
    from datetime import time

    series = services.meal_series_start(
        actor=_owner(), household=_household(world), deliver_time=time(11), budget=Decimal("15")
    )
    return {"pk": series.pk}


def _enroll(world) -> Call:
    resident = resident_make(world.zhengyuan, name="郑爷爷")
    return Call(body={"resident": resident.pk})


def _done(world) -> Call:
    return Call(query={"node": world.zhengyuan.pk})


def _api(make):
    return lambda world: Call({"errand_id": make(world).pk})


def _api_submitted(world):
    return errand_make(_household(world))


def _api_create(world) -> Call:
    body = {
        "household_id": _household(world).pk,
        "lines": [{"category": "vegetables", "text": "青菜"}],
        "budget": "30",
        "deliver_by": (timezone.now() + timedelta(hours=3)).isoformat(),
        "idempotency_key": "walk-1",
    }
    return Call(body=body)


def _api_vehicle_claim(world) -> Call:
    """The owner claims for a 党员代购车 of 郑园村 they are in: the vehicle's id travels in
    the body (another village's user meets the errand's 404 first)."""
    from frontline.teams.tests.factories import member_make, team_make

    vehicle = team_make(world.zhengyuan, "purchase_vehicle", "郑园村党员代购车1号")
    member_make(vehicle, user=_owner())
    return Call({"errand_id": _api_submitted(world).pk}, body={"team_id": vehicle.pk})


def _vehicle_claim_form(world) -> Call:
    call = _api_vehicle_claim(world)
    return Call({"pk": call.kwargs["errand_id"]}, body={"team": call.body["team_id"]})


def _api_with(make, body: dict):
    return lambda world: Call({"errand_id": make(world).pk}, body=body)


EMPTY = "the search and the list carry no id; the resident comes with the POST"

TARGETS = {
    # The overdue list under a place (?node=, the dashboard's 逾期跑腿 link).
    "errands:overdue": ScopeTarget(
        "errands.manage", get=lambda world: Call(query={"node": world.zhengyuan.pk})
    ),
    "errands:detail": ScopeTarget("errands.view", get=_submitted),
    "errands:claim": ScopeTarget("errands.claim", post=(_submitted, _vehicle_claim_form)),
    "errands:bought": ScopeTarget("errands.claim", post=_bought_form),
    "errands:deliver": ScopeTarget("errands.claim", post=_pk(_bought)),
    "errands:phone": ScopeTarget("errands.claim", post=_phone_form),
    "errands:confirm": ScopeTarget("errands.manage", post=_pk(_delivered)),
    "errands:settle": ScopeTarget("errands.manage", post=_settle_form),
    "errands:cancel": ScopeTarget("errands.manage", post=_cancel_form),
    "errands:receipt": ScopeTarget("errands.view", get=_pk(_bought)),
    "errands:done": ScopeTarget("errands.view", get=_done),
    "errands:households": ScopeTarget("errands.manage", post=_enroll, idless={"get": EMPTY}),
    "errands:household": ScopeTarget("errands.manage", get=_household_pk),
    "errands:ask": ScopeTarget("errands.manage", get=_household_pk, post=_ask_form),
    "errands:qr": ScopeTarget("errands.manage", get=_household_pk),
    "errands:renew": ScopeTarget("errands.manage", post=_household_pk),
    "errands:series_start": ScopeTarget("errands.manage", post=_series_form),
    "errands:series_stop": ScopeTarget("errands.manage", post=_series),
    "api:errands_create": ScopeTarget("errands.manage", post=_api_create),
    "api:errands_detail": ScopeTarget("errands.view", get=_api(_api_submitted)),
    "api:errands_claim": ScopeTarget(
        "errands.claim", post=(_api(_api_submitted), _api_vehicle_claim)
    ),
    "api:errands_bought": ScopeTarget(
        "errands.claim", post=_api_with(_claimed, {"actual_cost": "12.5"})
    ),
    "api:errands_delivered": ScopeTarget("errands.claim", post=_api(_bought)),
    "api:errands_phone": ScopeTarget(
        "errands.claim", post=_api_with(_bought, {"reason": "送达前联系住户"})
    ),
    "api:errands_confirm": ScopeTarget("errands.manage", post=_api(_delivered)),
    "api:errands_settle": ScopeTarget(
        "errands.manage", post=_api_with(_confirmed, {"settlement": "waived"})
    ),
    "api:errands_cancel": ScopeTarget(
        "errands.manage", post=_api_with(_api_submitted, {"reason": "不需要了"})
    ),
}
