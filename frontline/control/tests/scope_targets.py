"""Objects in 郑园村 for every id-taking route of the control app."""

from datetime import timedelta

from django.utils import timezone

from frontline.control import services
from frontline.control.models import Reading, ServiceKind
from frontline.control.tests.factories import (
    category_make,
    isolation_make,
    key_person_make,
    lead_make,
)
from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.people.tests.factories import resident_make


def _isolation(world):
    return isolation_make(world, world.zhengyuan_grid, "郑大力")


def _person(world) -> dict:
    return {"pk": _isolation(world).key_person_id}


def _person_free(world):
    """A key person not isolated: one that may start an isolation or be closed."""
    return key_person_make(world, world.zhengyuan_grid, "郑小二")


def _person_control(world) -> Call:
    body = {"leader": world.village_leader_zhengyuan.pk, "team": "郑园村专班", "plan": "每日两测"}
    return Call(_person(world), body=body)


def _person_note(world) -> Call:
    return Call(_person(world), body={"text": "电话随访，情况稳定"})


def _person_close(world) -> Call:
    return Call({"pk": _person_free(world).pk}, body={"reason": "核酸阴性，解除管控"})


def _person_not_isolated(world) -> dict:
    return {"pk": _person_free(world).pk}


def _isolation_start(world) -> Call:
    body = {"address": "郑园村2组5号", "start_date": timezone.localdate(), "planned_days": 14}
    return Call(_person_not_isolated(world), body=body)


def _isolation_kwargs(world) -> dict:
    return {"pk": _isolation(world).pk}


def _isolation_six(world) -> Call:
    return Call(_isolation_kwargs(world), body={"health_worker": f"u{world.health_zhengyuan.pk}"})


def _isolation_served(world) -> dict:
    """An isolation past its end date with a normal last day: it may be released."""
    isolation = isolation_make(world, world.zhengyuan_grid, "郑满期", days_ago=14)
    Reading.objects.create(
        isolation=isolation,
        node=isolation.node,
        local_date=isolation.end_date - timedelta(days=1),
        slot="am",
        value="36.5",
        taken_at=timezone.now(),
        taken_by=world.health_zhengyuan,
    )
    return {"pk": isolation.pk}


def _isolation_end(world) -> Call:
    return Call(_isolation_kwargs(world), body={"status": "ended_early", "reason": "转集中隔离"})


def _round_reading(world) -> Call:
    return Call(_isolation_kwargs(world), body={"value": "36.6", "slot": "am"})


def _alert(world) -> dict:
    reading, _ = services.reading_record(
        actor=world.health_zhengyuan, isolation=_isolation(world), value="38.0", slot="am"
    )
    return {"pk": reading.alert.pk}


def _alert_handle(world) -> Call:
    body = {"action": "retest", "retest_value": "36.8", "note": "半小时后复测"}
    return Call(_alert(world), body=body)


def _resident_free(world):
    return resident_make(node=world.zhengyuan_grid, name="郑二")


def _resident(world) -> dict:
    return {"resident_pk": _resident_free(world).pk}


def _register(world) -> Call:
    body = {"category": category_make().pk, "found_via": "screening"}
    return Call(_resident(world), body=body)


def _referral(world) -> dict:
    referral = services.referral_open(
        actor=world.cadre_zhengyuan,
        node=world.zhengyuan,
        source_kind="screening",
        name="郑二",
        reason="排查发现",
    )
    return {"pk": referral.pk}


def _referral_accept(world) -> Call:
    body = {"resident": _resident_free(world).pk, "category": category_make().pk}
    return Call(_referral(world), body=body)


def _lead(world) -> dict:
    return {"pk": lead_make(world.zhengyuan_all, "郑园村").pk}


def _service(world) -> Call:
    body = {
        "resident": _isolation(world).key_person.resident_id,
        "kind": ServiceKind.objects.filter(is_active=True).first().pk,
        "description": "代购蔬菜一份",
        "quantity": 1,
        "delivered_on": timezone.localdate(),
    }
    return Call(body=body)


def _api_person_create(world) -> Call:
    body = {"resident_id": _resident_free(world).pk, "category_id": category_make().pk}
    return Call(body=body)


def _api_isolation_create(world) -> Call:
    body = {
        "key_person_id": _person_free(world).pk,
        "address": "郑园村2组5号",
        "start_date": timezone.localdate().isoformat(),
    }
    return Call(body=body)


def _api_reading(world) -> Call:
    return Call(body={"isolation_id": _isolation(world).pk, "value": "36.6", "slot": "am"})


TARGETS = {
    "control:lead_preview": ScopeTarget("control.import", get=_lead),
    "control:lead_errors": ScopeTarget("control.import", get=_lead),
    "control:lead_commit": ScopeTarget("control.import", post=_lead),
    "control:referral_accept": ScopeTarget("control.edit", get=_referral, post=_referral_accept),
    "control:key_person_list": ScopeTarget(
        unscoped={"category": "key-person categories are one list for the whole district"}
    ),
    "control:key_person_export": ScopeTarget(
        unscoped={"category": "key-person categories are one list for the whole district"}
    ),
    "control:key_person_register": ScopeTarget("control.edit", get=_resident, post=_register),
    "control:key_person_detail": ScopeTarget("control.view", get=_person),
    "control:key_person_control": ScopeTarget("control.edit", get=_person, post=_person_control),
    "control:key_person_note": ScopeTarget("control.view", post=_person_note),
    "control:key_person_close": ScopeTarget("control.edit", post=_person_close),
    "control:isolation_start": ScopeTarget(
        "control.edit", get=_person_not_isolated, post=_isolation_start
    ),
    "control:isolation_six": ScopeTarget(
        "control.edit", get=_isolation_kwargs, post=_isolation_six
    ),
    "control:isolation_release": ScopeTarget("control.edit", post=_isolation_served),
    "control:isolation_end": ScopeTarget(
        "control.edit", get=_isolation_kwargs, post=_isolation_end
    ),
    "control:round_reading": ScopeTarget("control.reading", post=_round_reading),
    "control:alert_handle": ScopeTarget("control.alert", get=_alert, post=_alert_handle),
    "control:service_list": ScopeTarget(
        "control.service",
        post=_service,
        refused=422,  # another village's resident is "not one of the choices"
        idless={"get": "lists the user's own services; the resident comes with the POST"},
    ),
    "api:control_key_person_detail": ScopeTarget(
        "control.view", get=lambda world: {"key_person_id": _person(world)["pk"]}
    ),
    "api:control_isolation_detail": ScopeTarget(
        "control.view", get=lambda world: {"isolation_id": _isolation_kwargs(world)["pk"]}
    ),
    "api:control_key_person_create": ScopeTarget("control.edit", post=_api_person_create),
    "api:control_isolation_create": ScopeTarget("control.edit", post=_api_isolation_create),
    "api:control_reading_create": ScopeTarget("control.reading", post=_api_reading),
}
