"""Which pages and endpoints of people show a health status (test_audited_reads)."""

from frontline.control.tests.factories import key_person_make
from frontline.core.tests.read_registry import Read


def _key_person(world) -> dict:
    """A resident under key-person control: their page says so, a recorded read."""
    return {"pk": key_person_make(world, world.zhengyuan_grid, "郑管控").resident_id}


AUDITED = {
    "people:detail": Read("people.resident.key_person_view", get=_key_person),
}

_MASKED = "residents, masked; no health status"

PLAIN = {
    "people:list": _MASKED,
    "people:household": _MASKED,
    "people:create": "the form for a new resident",
    "people:edit": "the form of a resident, masked",
    "people:tags": "the tags and how many carry each",
    "people:import": "the upload form",
    "people:import_template": "an empty workbook with the column headings",
    "people:import_preview": "the uploader's own upload: counts and row errors",
    "people:import_errors": "the uploader's own rows, recorded as people.roster.errors_export",
    "api:people_list": _MASKED,
    "api:people_detail": _MASKED,
}
