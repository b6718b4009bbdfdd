"""Objects in 郑园村 for every id-taking route of the people app."""

from frontline.core.tests.scope_registry import ScopeTarget
from frontline.people import imports
from frontline.people.tests.factories import id_number_next, resident_make
from frontline.people.tests.rosters import HEADERS, xlsx_make


def _resident(world) -> dict:
    return {"pk": resident_make(world.zhengyuan_grid, household_number="Z-1").pk}


def _household(world) -> dict:
    return {"pk": resident_make(world.zhengyuan, household_number="Z-2").household_id}


def _roster(world) -> dict:
    upload = xlsx_make([HEADERS, ["郑某", id_number_next(), "", "郑园村"]])
    return {"pk": imports.roster_preview(actor=world.zhengyuan_all, upload=upload).pk}


def _bad_roster(world) -> dict:
    upload = xlsx_make([HEADERS, ["郑某", "123", "", "郑园村"]])
    return {"pk": imports.roster_preview(actor=world.zhengyuan_all, upload=upload).pk}


def _api(make, key: str):
    return lambda world: {key: make(world)["pk"]}


TARGETS = {
    "people:detail": ScopeTarget(_resident, methods=("get",)),
    "people:edit": ScopeTarget(_resident),
    "people:unmask": ScopeTarget(_resident, methods=("post",)),
    "people:household": ScopeTarget(_household, methods=("get",)),
    "people:import_preview": ScopeTarget(_roster, methods=("get",)),
    "people:import_errors": ScopeTarget(_bad_roster, methods=("get",)),
    "people:import_commit": ScopeTarget(_roster, methods=("post",)),
    "api:people_detail": ScopeTarget(_api(_resident, "resident_id"), methods=("get",)),
    "api:people_update": ScopeTarget(_api(_resident, "resident_id"), methods=("patch",)),
    "api:people_unmask": ScopeTarget(_api(_resident, "resident_id"), methods=("post",)),
    "api:people_import_commit": ScopeTarget(_api(_roster, "import_id"), methods=("post",)),
}
