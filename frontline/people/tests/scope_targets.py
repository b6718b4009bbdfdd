"""Objects in 郑园村 for every id-taking route of the people app."""

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.people import imports
from frontline.people.models import Tag
from frontline.people.tests.factories import id_number_next, resident_make
from frontline.people.tests.rosters import HEADERS, xlsx_make

SECRET = "郑秘密"  # a name only 郑园村 may see in a list


def _tag() -> Tag:
    return Tag.objects.get_or_create(name="返乡人员")[0]


def _resident_of(world):
    return resident_make(world.zhengyuan_grid, name=SECRET, household_number="Z-1", tags=[_tag()])


def _resident(world) -> dict:
    return {"pk": _resident_of(world).pk}


def _resident_edit(world) -> Call:
    resident = _resident_of(world)
    body = {
        "name": "郑改名",
        "id_number": resident.id_number_masked,  # a mask sent back means "unchanged"
        "node": world.zhengyuan.pk,
        "tags": [_tag().pk],
    }
    return Call({"pk": resident.pk}, body=body)


def _resident_unmask(world) -> Call:
    return Call(_resident(world), body={"reason": "核对身份"})


def _household(world) -> dict:
    return {"pk": _resident_of(world).household_id}


def _roster(world) -> dict:
    upload = xlsx_make([HEADERS, ["郑某", id_number_next(), "", "郑园村"]])
    return {"pk": imports.roster_preview(actor=world.zhengyuan_all, upload=upload).pk}


def _bad_roster(world) -> dict:
    upload = xlsx_make([HEADERS, ["郑某", "123", "", "郑园村"]])
    return {"pk": imports.roster_preview(actor=world.zhengyuan_all, upload=upload).pk}


def _filter(world) -> dict:
    _resident_of(world)
    return {"node": world.zhengyuan_grid.pk, "tag": _tag().pk}


def _list_filtered(world) -> Call:
    # The page ignores a place outside the user's scope: it shows the user's own list.
    return Call(query=_filter(world), secret=SECRET)


def _list_searched(world) -> Call:
    # An ID number is searched by POST (never in a URL); the place filters the answer.
    resident = _resident_of(world)
    body = {"q": resident.id_number, "node": world.zhengyuan_grid.pk, "tag": _tag().pk}
    return Call(body=body, secret=SECRET)


def _export(world) -> Call:
    return Call(body={"q": "", **_filter(world)}, secret=SECRET)


def _resident_new(world) -> Call:
    body = {
        "name": "郑新",
        "id_number": id_number_next(),
        "node": world.zhengyuan_grid.pk,
        "tags": [_tag().pk],
    }
    return Call(body=body)


def _api(make, key: str):
    return lambda world: {key: make(world)["pk"]}


def _api_update(world) -> Call:
    body = {"node": world.zhengyuan.pk, "tags": [_tag().pk], "notes": "搬到村部旁"}
    return Call({"resident_id": _resident(world)["pk"]}, body=body)


def _api_unmask(world) -> Call:
    return Call({"resident_id": _resident(world)["pk"]}, body={"reason": "核对身份"})


def _api_search(world) -> Call:
    return Call(body={"q": "", **_filter(world)})


def _api_list(world) -> Call:
    return Call(query=_filter(world))


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form

TARGETS = {
    "people:detail": ScopeTarget("people.view", get=_resident),
    "people:edit": ScopeTarget("people.edit", get=_resident, post=_resident_edit),
    "people:unmask": ScopeTarget("people.view_full_id", post=_resident_unmask),
    "people:household": ScopeTarget("people.view", get=_household),
    "people:import_preview": ScopeTarget("people.import", get=_roster),
    "people:import_errors": ScopeTarget("people.import", get=_bad_roster),
    "people:import_commit": ScopeTarget("people.import", post=_roster),
    "people:list": ScopeTarget(
        "people.view",
        get=_list_filtered,
        post=_list_searched,
        refused={"get": 200, "post": FORM_CHOICE},
    ),
    "people:export": ScopeTarget("people.export", post=_export, refused=200),
    "people:create": ScopeTarget(
        "people.edit",
        post=_resident_new,
        refused=FORM_CHOICE,
        idless={"get": "shows the empty form; the place comes with the POST"},
    ),
    "api:people_detail": ScopeTarget("people.view", get=_api(_resident, "resident_id")),
    "api:people_update": ScopeTarget("people.edit", patch=_api_update),
    "api:people_unmask": ScopeTarget("people.view_full_id", post=_api_unmask),
    "api:people_import_commit": ScopeTarget("people.import", post=_api(_roster, "import_id")),
    "api:people_list": ScopeTarget("people.view", get=_api_list),
    "api:people_search": ScopeTarget("people.view", post=_api_search),
    "api:people_create": ScopeTarget("people.edit", post=lambda world: _resident_new(world)),
}
