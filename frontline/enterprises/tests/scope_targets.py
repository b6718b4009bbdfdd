"""Objects in 郑园村 for every id-taking route of the enterprises app: an enterprise under
郑园村's first grid, its application in each state, employees, slots, policies, tickets."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from frontline.core import services as core_services
from frontline.core.models import NodeKind
from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.enterprises import services
from frontline.enterprises.tests.factories import (
    application_filled,
    checklist_make,
    enterprise_make,
    sector_make,
    uscc_next,
)
from frontline.people.tests.factories import resident_make


def _enterprise(world):
    return enterprise_make(world, grid=world.zhengyuan_grid)


def _pk(world) -> dict:
    return {"pk": _enterprise(world).pk}


def _eid(world) -> dict:
    return {"enterprise_id": _enterprise(world).pk}


def _draft(world):
    return application_filled(
        world, _enterprise(world), items=checklist_make(world, world.zhengyuan)
    )


def _submitted(world):
    app = _draft(world)
    return services.application_submit(actor=world.town_leader, application=app)


def _reviewed(world):
    items = checklist_make(world, world.zhengyuan)
    enterprise = _enterprise(world)
    app = application_filled(world, enterprise, items=items)
    services.application_submit(actor=world.town_leader, application=app)
    verdicts = {i.pk: ("ok", "") for i in items}
    return services.application_review(
        actor=world.grid_zhengyuan, application=app, verdicts=verdicts
    )


def _import(world) -> dict:
    """A previewed enterprise list of 郑园村, uploaded by the walk's owner."""
    from frontline.enterprises.tests.test_import import enterprise_import_make

    sector_make("机械制造")
    core_services.node_create(
        actor=None, kind=NodeKind.ENTERPRISE, name="导入企业", parent=world.zhengyuan_grid
    )
    row = ["导入企业", uscc_next(), "", "机械制造", 1, 1, ""]
    return {"pk": enterprise_import_make(world.zhengyuan_all, [row]).pk}


def _item_of(app):
    return app.answers.filter(round=app.round).first().item_id


def _edit(world) -> Call:
    enterprise = _enterprise(world)
    body = {
        "uscc": enterprise.uscc,
        "sector": enterprise.sector_id,
        "planned_headcount": 60,
        "onsite_headcount": 40,
        "party_branch": "",
    }
    return Call({"pk": enterprise.pk}, body=body)


def _register(world) -> Call:
    node = core_services.node_create(
        actor=None, kind=NodeKind.ENTERPRISE, name="郑园新建企业", parent=world.zhengyuan_grid
    )
    body = {
        "node": node.pk,
        "uscc": uscc_next(),
        "sector": sector_make().pk,
        "planned_headcount": 10,
        "onsite_headcount": 5,
    }
    return Call(body=body)


def _item_new(world) -> Call:
    return Call(
        body={
            "node": world.zhengyuan.pk,
            "heading": 2,
            "text": "闭环管理",
            "evidence_required": "1",
        }
    )


def _item(world) -> dict:
    return {"pk": checklist_make(world, world.zhengyuan)[0].pk}


def _answer(world) -> Call:
    app = _draft(world)
    return Call({"pk": app.pk, "item_id": _item_of(app)}, body={"meets": "1", "evidence": "已落实"})


def _evidence(world) -> dict:
    """An answer of 郑园村 with a photo as its evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = _draft(world)
    item = app.answers.filter(round=app.round).first().item
    photo = SimpleUploadedFile("evidence.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    answer = services.answer_save(
        actor=world.town_leader, application=app, item=item, meets=True, evidence_file=photo
    )
    return {"pk": answer.pk}


def _app_pk(make):
    return lambda world: {"pk": make(world).pk}


def _review(world) -> Call:
    app = _submitted(world)
    ids = app.answers.filter(round=app.round).values_list("item_id", flat=True)
    return Call({"pk": app.pk}, body={f"verdict_{i}": "ok" for i in ids})


def _return(world) -> Call:
    app = _reviewed(world)
    return Call({"pk": app.pk}, body={f"reason_{_item_of(app)}": "台账不全"})


def _employee(world):
    resident = resident_make(node=world.zhengyuan, name="郑员工")
    return services.employee_add(
        actor=world.town_leader, enterprise=_enterprise(world), resident=resident
    )


def _employee_add_page(world) -> Call:
    from frontline.people.tests.factories import id_number_next

    number = id_number_next()
    resident_make(node=world.zhengyuan, name="郑新员工", id_number=number)
    return Call(_pk(world), body={"name": "郑新员工", "id_number": number, "commute": "commute"})


def _slot(world):
    return services.slot_create(
        actor=world.town_leader,
        node=world.zhengyuan,
        starts_at=timezone.now() + timedelta(days=1),
        capacity=3,
    )


def _policy(world):
    return services.policy_create(
        actor=world.town_leader, node=world.zhengyuan, name="房租减免", cap=Decimal("50000")
    )


def _policy_application(world, enterprise=None):
    return services.policy_apply(
        actor=world.town_leader,
        policy=_policy(world),
        enterprise=enterprise or _enterprise(world),
        amount=Decimal("1000"),
    )


def _ticket(world, enterprise=None):
    return services.ticket_create(
        actor=world.town_leader,
        enterprise=enterprise or _enterprise(world),
        kind="labour",
        description="缺工",
    )


def _appointment(world):
    return services.appointment_book(
        actor=world.town_leader, enterprise=_enterprise(world), slot=_slot(world)
    )


def _book(world) -> Call:
    enterprise = _enterprise(world)
    slot = services.slot_create(
        actor=world.town_leader,
        node=world.zhengyuan,
        starts_at=timezone.now() + timedelta(days=2),
        capacity=3,
    )
    return Call({"pk": enterprise.pk}, body={"slot_id": slot.pk})


def _policy_apply_page(world) -> Call:
    enterprise = _enterprise(world)
    return Call({"pk": enterprise.pk}, body={"policy": _policy(world).pk, "amount": "1000"})


def _list_of(url_param="node"):
    return lambda world: Call(query={url_param: world.zhengyuan.pk})


# ---------------------------------------------------------------- API


def _api_answer(world) -> Call:
    app = _draft(world)
    kwargs = {"application_id": app.pk, "item_id": _item_of(app)}
    return Call(kwargs, body={"meets": True, "evidence": "已落实"})


def _api_evidence(world) -> Call:
    app = _draft(world)
    kwargs = {"application_id": app.pk, "item_id": _item_of(app)}
    photo = SimpleUploadedFile("证明.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    return Call(kwargs, body={"meets": True, "evidence": "已落实", "evidence_file": photo})


def _api_app(make):
    return lambda world: Call({"application_id": make(world).pk})


def _api_review(world) -> Call:
    app = _submitted(world)
    ids = app.answers.filter(round=app.round).values_list("item_id", flat=True)
    return Call(
        {"application_id": app.pk}, body={"items": [{"item_id": i, "verdict": "ok"} for i in ids]}
    )


def _api_return(world) -> Call:
    app = _reviewed(world)
    body = {"items": [{"item_id": _item_of(app), "reason": "台账不全"}]}
    return Call({"application_id": app.pk}, body=body)


def _api_employee_add(world) -> Call:
    resident = resident_make(node=world.zhengyuan, name="郑接口员工")
    return Call(_eid(world), body={"resident_id": resident.pk})


def _api_book(world) -> Call:
    enterprise = _enterprise(world)
    slot = services.slot_create(
        actor=world.town_leader,
        node=world.zhengyuan,
        starts_at=timezone.now() + timedelta(days=3),
        capacity=3,
    )
    return Call(body={"enterprise_id": enterprise.pk, "slot_id": slot.pk})


def _api_policy_create(world) -> Call:
    return Call(body={"node_id": world.zhengyuan.pk, "name": "税费奖补", "cap": "20000"})


def _api_policy_apply(world) -> Call:
    enterprise = _enterprise(world)
    body = {"policy_id": _policy(world).pk, "enterprise_id": enterprise.pk, "amount": "500"}
    return Call(body=body)


def _api_ticket_create(world) -> Call:
    return Call(body={**_eid(world), "kind": "funds", "description": "流动资金紧张"})


def _api_ticket_resolve(world) -> Call:
    enterprise = _enterprise(world)
    ticket = _ticket(world, enterprise)
    linked = _policy_application(world, enterprise)
    body = {"resolution": "已申请房租减免", "policy_application_id": linked.pk}
    return Call({"ticket_id": ticket.pk}, body=body)


def _slots_page(world) -> Call:
    enterprise = _enterprise(world)
    _slot(world)
    return Call(query={"enterprise": enterprise.pk})


def _slot_new(world) -> Call:
    starts = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    return Call(body={"node": world.zhengyuan.pk, "starts_at": starts, "capacity": 3})


def _rebook(world) -> Call:
    appointment = _appointment(world)
    other = services.slot_create(
        actor=world.town_leader,
        node=world.zhengyuan,
        starts_at=timezone.now() + timedelta(days=6),
        capacity=3,
    )
    return Call({"pk": appointment.pk}, body={"slot_id": other.pk})


def _policy_new(world) -> Call:
    return Call(body={"node": world.zhengyuan.pk, "name": "金融扶持", "cap": "30000"})


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"
SECTORS = {"sector": "行业是全镇共用的配置表", "sector_id": "行业是全镇共用的配置表"}

TARGETS = {
    "enterprises:list": ScopeTarget("enterprises.view", get=_list_of()),
    "enterprises:tickets": ScopeTarget("enterprises.view", get=_list_of()),
    "enterprises:export": ScopeTarget("enterprises.view", get=_list_of()),
    "enterprises:policy_applications": ScopeTarget(
        {"get": "enterprises.view", "post": "enterprises.manage"},
        get=_list_of(),
        post=_policy_new,
        refused={"get": 404, "post": FORM_CHOICE},
    ),
    "enterprises:slots": ScopeTarget(
        {"get": "enterprises.file", "post": "enterprises.manage"},
        get=_slots_page,
        post=_slot_new,
        refused={"get": 404, "post": FORM_CHOICE},
    ),
    "enterprises:appointment_rebook": ScopeTarget("enterprises.file", post=_rebook),
    "enterprises:register": ScopeTarget(
        "enterprises.manage",
        post=_register,
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
        unscoped=SECTORS,
    ),
    "enterprises:items": ScopeTarget(
        "enterprises.manage", post=_item_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "enterprises:item_toggle": ScopeTarget("enterprises.manage", post=_item),
    "enterprises:detail": ScopeTarget(
        "enterprises.view",
        get=_pk,
        unscoped={"policy": "the page only shows the form; policy_apply reads its POST"},
    ),
    "enterprises:headcount_record": ScopeTarget(
        "enterprises.file",
        post=lambda w: Call(_pk(w), body={"day": timezone.localdate().isoformat(), "onsite": "5"}),
    ),
    "enterprises:edit": ScopeTarget("enterprises.file", get=_pk, post=_edit, unscoped=SECTORS),
    "enterprises:application": ScopeTarget("enterprises.view", get=_pk),
    "enterprises:application_start": ScopeTarget("enterprises.file", post=_pk),
    "enterprises:answer_save": ScopeTarget("enterprises.file", post=_answer),
    "enterprises:evidence": ScopeTarget("enterprises.view", get=_evidence),
    "enterprises:application_submit": ScopeTarget("enterprises.file", post=_app_pk(_draft)),
    "enterprises:application_review": ScopeTarget("enterprises.review", post=_review),
    "enterprises:application_return": ScopeTarget("enterprises.approve", post=_return),
    "enterprises:application_approve": ScopeTarget("enterprises.approve", post=_app_pk(_reviewed)),
    "enterprises:employees": ScopeTarget(
        {"get": "enterprises.view", "post": "enterprises.file"},
        get=_pk,
        post=_employee_add_page,
    ),
    "enterprises:card": ScopeTarget("enterprises.view", get=lambda w: {"pk": _employee(w).pk}),
    "enterprises:card_reissue": ScopeTarget(
        "enterprises.file", post=lambda w: {"pk": _employee(w).pk}
    ),
    "enterprises:ticket_create": ScopeTarget(
        "enterprises.file",
        post=lambda w: Call(_pk(w), body={"kind": "labour", "description": "缺工"}),
    ),
    "enterprises:ticket_resolve": ScopeTarget(
        "enterprises.tickets",
        post=lambda w: Call({"pk": _ticket(w).pk}, body={"resolution": "已解决"}),
    ),
    "enterprises:policy_apply": ScopeTarget("enterprises.file", post=_policy_apply_page),
    "enterprises:policy_decide": ScopeTarget(
        "enterprises.approve",
        post=lambda w: Call({"pk": _policy_application(w).pk}, body={"grant": "1"}),
    ),
    "enterprises:appointment_book": ScopeTarget("enterprises.file", post=_book),
    "enterprises:appointment_cancel": ScopeTarget(
        "enterprises.file", post=lambda w: {"pk": _appointment(w).pk}
    ),
    "enterprises:enterprise_import_preview": ScopeTarget("enterprises.manage", get=_import),
    "enterprises:enterprise_import_errors": ScopeTarget("enterprises.manage", get=_import),
    "enterprises:enterprise_import_commit": ScopeTarget("enterprises.manage", post=_import),
    "api:enterprises_detail": ScopeTarget("enterprises.view", get=_eid),
    "api:enterprises_update": ScopeTarget(
        "enterprises.file",
        patch=lambda w: Call(_eid(w), body={"onsite_headcount": 3}),
        unscoped=SECTORS,
    ),
    "api:enterprises_application_start": ScopeTarget("enterprises.file", post=_eid),
    "api:applications_answer": ScopeTarget("enterprises.file", put=_api_answer),
    "api:applications_answer_evidence": ScopeTarget("enterprises.file", post=_api_evidence),
    "api:applications_submit": ScopeTarget("enterprises.file", post=_api_app(_draft)),
    "api:applications_review": ScopeTarget("enterprises.review", post=_api_review),
    "api:applications_return": ScopeTarget("enterprises.approve", post=_api_return),
    "api:applications_approve": ScopeTarget("enterprises.approve", post=_api_app(_reviewed)),
    "api:enterprises_employee_add": ScopeTarget("enterprises.file", post=_api_employee_add),
    "api:enterprises_employees": ScopeTarget("enterprises.view", get=_eid),
    "api:appointments_book": ScopeTarget("enterprises.file", post=_api_book),
    "api:appointments_slot_create": ScopeTarget(
        "enterprises.manage",
        post=lambda w: Call(
            body={
                "node_id": w.zhengyuan.pk,
                "starts_at": (timezone.now() + timedelta(days=4)).isoformat(),
                "capacity": 4,
            }
        ),
    ),
    "api:appointments_cancel": ScopeTarget(
        "enterprises.file", post=lambda w: {"appointment_id": _appointment(w).pk}
    ),
    "api:policies_create": ScopeTarget("enterprises.manage", post=_api_policy_create),
    "api:policy_applications_create": ScopeTarget("enterprises.file", post=_api_policy_apply),
    "api:policy_applications_decide": ScopeTarget(
        "enterprises.approve",
        post=lambda w: Call(
            {"policy_application_id": _policy_application(w).pk}, body={"grant": True}
        ),
    ),
    "api:tickets_create": ScopeTarget("enterprises.file", post=_api_ticket_create),
    "api:tickets_resolve": ScopeTarget("enterprises.tickets", post=_api_ticket_resolve),
    "api:tickets_assign": ScopeTarget(
        "enterprises.tickets",
        post=lambda w: Call({"ticket_id": _ticket(w).pk}, body={"owner_id": w.cadre_zhengyuan.pk}),
        unscoped={"owner_id": "looked up among the ticket's possible owners (ticket_owners)"},
    ),
}
