"""Objects in 郑园村 for every id-taking route of the screening app."""

from django.core.files.base import ContentFile
from django.utils import timezone

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.screening.tests.factories import assignment_make, checklist_make, record_make


def _record(world) -> dict:
    return {"pk": record_make(world.zhengyuan, world.cadre_zhengyuan).pk}


def _record_with_photo(world) -> dict:
    photo = ContentFile(b"\xff\xd8\xff\xe0" + b"0" * 64, name="photo.jpg")
    return {"pk": record_make(world.zhengyuan, world.cadre_zhengyuan, photo=photo).pk}


def _assignment(world) -> dict:
    return {"pk": assignment_make(world.zhengyuan, world.cadre_zhengyuan).pk}


def _assignment_new(world) -> Call:
    return Call(body={"node": world.zhengyuan_grid.pk, "assignee": world.grid_zhengyuan.pk})


def _item(world) -> dict:
    return {"pk": checklist_make(world.zhengyuan, "村口值守")[0].pk}


def _item_new(world) -> Call:
    # The place is a choice of the form: another village's is "not one of the choices".
    return Call(body={"node": world.zhengyuan.pk, "label": "村口值守"}, refused=422)


def _items_default(world) -> Call:
    return Call(body={"defaults": "1", "node": world.zhengyuan.pk})


def _board(world) -> Call:
    return Call(query={"node": world.zhengyuan.pk})


def _unit(world) -> Call:
    return Call(query={"unit": world.zhengyuan.pk})


def _record_new(world) -> Call:
    (item,) = checklist_make(world.zhengyuan, "村口值守")
    body = {
        "unit": world.zhengyuan.pk,
        "day": timezone.localdate(),
        "idempotency_key": "walk-record-1",
        f"check_{item.pk}": "on",
        "findings": "",
        "person-TOTAL_FORMS": "0",
        "person-INITIAL_FORMS": "0",
    }
    return Call(body=body)


def _api_record(world) -> dict:
    return {"record_id": _record(world)["pk"]}


def _api_record_new(world) -> Call:
    (item,) = checklist_make(world.zhengyuan, "村口值守")
    return Call(body={"unit_id": world.zhengyuan.pk, "checks": {str(item.pk): True}})


def _api_checklist(world) -> Call:
    checklist_make(world.zhengyuan, "村口值守")
    return Call(query={"unit_id": world.zhengyuan.pk})


EMPTY_FORM = "shows the empty form and the user's own list; the ids come with the POST"

TARGETS = {
    "screening:record_detail": ScopeTarget("screening.view", get=_record),
    "screening:record_photo": ScopeTarget("screening.view", get=_record_with_photo),
    "screening:assignment_delete": ScopeTarget("screening.manage", post=_assignment),
    "screening:checklist_toggle": ScopeTarget("screening.manage", post=_item),
    "screening:assignments": ScopeTarget(
        "screening.manage",
        post=_assignment_new,
        refused=422,  # another village's place and people are "not one of the choices"
        idless={"get": EMPTY_FORM},
    ),
    "screening:checklist": ScopeTarget(
        "screening.manage", post=(_item_new, _items_default), idless={"get": EMPTY_FORM}
    ),
    "screening:board": ScopeTarget("screening.view", get=_board),
    "screening:week": ScopeTarget("screening.view", get=_board),
    "screening:screened": ScopeTarget("screening.view", get=_board),
    "screening:record_export": ScopeTarget("screening.export", get=_board),
    "screening:record_create": ScopeTarget("screening.record", get=_unit, post=_record_new),
    "api:screening_record_detail": ScopeTarget("screening.view", get=_api_record),
    "api:screening_record_create": ScopeTarget("screening.record", post=_api_record_new),
    "api:screening_checklist": ScopeTarget("screening.record", get=_api_checklist),
    "api:screening_coverage": ScopeTarget("screening.view", get=_board),
}
