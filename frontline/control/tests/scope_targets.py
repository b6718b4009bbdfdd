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
from frontline.people.models import Tag
from frontline.people.tests.factories import id_number_next, resident_make


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


def _person_unidentified(world) -> dict:
    """A key person accepted from a hand-over without an ID number."""
    referral = services.referral_open(
        actor=world.cadre_zhengyuan,
        node=world.zhengyuan,
        source_kind="checkpoint",
        source_id=99,
        name="姓名待补（苏G54321）",
        reason="卡口测温发热",
    )
    person = services.key_person_from_referral(
        actor=world.cadre_zhengyuan,
        referral=referral,
        category=category_make(),
        name="郑无证",
        plate="苏G54321",
    )
    return {"pk": person.pk}


def _identify(world) -> Call:
    return Call(_person_unidentified(world), body={"id_number": id_number_next()})


def _api_identify(world) -> Call:
    pk = _person_unidentified(world)["pk"]
    return Call({"key_person_id": pk}, body={"id_number": id_number_next()})


def _api_control(world) -> Call:
    body = {
        "leader_id": world.village_leader_zhengyuan.pk,
        "team": "郑园村专班",
        "plan": "每日两测",
    }
    return Call({"key_person_id": _person(world)["pk"]}, body=body)


def _api_isolation(world) -> dict:
    return {"isolation_id": _isolation_kwargs(world)["pk"]}


def _api_six(world) -> Call:
    body = {"role": "health_worker", "user_id": world.health_zhengyuan.pk}
    return Call(_api_isolation(world), body=body)


def _api_six_member(world) -> Call:
    member = resident_make(node=world.zhengyuan_grid, name="郑党员")
    member.tags.add(Tag.objects.get_or_create(name="党员")[0])
    return Call(_api_isolation(world), body={"role": "volunteer", "resident_id": member.pk})


def _api_alert_handle(world) -> Call:
    body = {"action": "retest", "retest_value": "36.8", "note": "半小时后复测"}
    return Call({"alert_id": _alert(world)["pk"]}, body=body)


def _api_release(world) -> Call:
    return Call({"isolation_id": _isolation_served(world)["pk"]}, body={})


def _api_end(world) -> Call:
    body = {"status": "ended_early", "reason": "转集中隔离"}
    return Call(_api_isolation(world), body=body)


def _api_service(world) -> Call:
    body = {
        "resident_id": _isolation(world).key_person.resident_id,
        "kind_id": ServiceKind.objects.filter(is_active=True).first().pk,
        "description": "代购蔬菜一份",
        "quantity": 1,
    }
    return Call(body=body)


def _api_referral_accept(world) -> Call:
    body = {"resident_id": _resident_free(world).pk, "category_id": category_make().pk}
    return Call({"referral_id": _referral(world)["pk"]}, body=body)


def _list(world) -> Call:
    """A list narrowed to a node (a figure's link): another village's node is 404."""
    _isolation(world)
    return Call(query={"node": world.zhengyuan.pk})


LISTS = "one list for the whole district, not a place's"

TARGETS = {
    "control:lead_preview": ScopeTarget("control.import", get=_lead),
    "control:lead_errors": ScopeTarget("control.import", get=_lead),
    "control:lead_commit": ScopeTarget("control.import", post=_lead),
    "control:referral_accept": ScopeTarget("control.edit", get=_referral, post=_referral_accept),
    "control:key_person_list": ScopeTarget(
        "control.view",
        get=_list,
        unscoped={"category": "key-person categories are one list for the whole district"},
    ),
    "control:alert_list": ScopeTarget("control.view", get=_list),
    "control:overdue_list": ScopeTarget("control.view", get=_list),
    "control:reading_list": ScopeTarget("control.view", get=_list),
    "control:overdue_export": ScopeTarget("control.export", get=_list),
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
    "control:key_person_identify": ScopeTarget("control.edit", post=_identify),
    "api:control_key_person_identify": ScopeTarget("control.edit", post=_api_identify),
    "api:control_key_person_set_control": ScopeTarget("control.edit", post=_api_control),
    "api:control_six_candidates": ScopeTarget("control.edit", get=_api_isolation),
    "api:control_six_set": ScopeTarget("control.edit", post=(_api_six, _api_six_member)),
    "api:control_alert_handle": ScopeTarget("control.alert", post=_api_alert_handle),
    "api:control_isolation_release": ScopeTarget("control.edit", post=_api_release),
    "api:control_isolation_end": ScopeTarget("control.edit", post=_api_end),
    "api:control_service_create": ScopeTarget(
        "control.service", post=_api_service, unscoped={"kind_id": f"service kinds are {LISTS}"}
    ),
    "control:list_settings": ScopeTarget(
        unscoped={"item_id": f"kinds of key person and of 五送 service are {LISTS}"}
    ),
    "api:control_referral_accept": ScopeTarget(
        "control.edit",
        post=_api_referral_accept,
        unscoped={"category_id": f"key-person categories are {LISTS}"},
    ),
}
