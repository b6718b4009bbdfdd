"""What other apps may use of the people registry; nothing else of people is theirs to import.

- Scoped reads: residents where the user holds a permission (`residents_for`), a picker's
  search by name, phone tail or (by POST) whole ID or phone (`resident_find`; whether a
  search may travel in a URL: `query_is_personal`; a picker's GET search refuses one with
  `personal_query_dropped`), residents holding tags by tag name
  (`residents_tagged`, `residents_tagged_in`), residents by ID hash (`residents_by_id_hash`).
- Find or create: `resident_create` registers a resident with the registry's checks and audit;
  `resident_create_unidentified` one met without papers (the ID added later with
  `resident_update`, or the record merged onto the resident who has it, `resident_merge_into`).
- Tags another app's records own (党员 from party memberships): `resident_tags_sync`.
- Masked presentation, the same in every app (SECURITY 3): `resident_masked`, `resident_place`.
  The whole phone (`resident_phone`) only for a service that has checked who asks, why,
  and audited it (the errand's crew calling the door).
- The village a node belongs to (a grid's parent), or None above villages: `village_of`.
- For another app's own spreadsheet import: the person columns a list shares with the
  roster (`PERSON_COLUMNS`), checked as the roster checks them (`person_row_checker`).

Another app links to a resident with a foreign key given as a string ("people.Resident"),
reads residents through these functions and never saves one itself.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.http import HttpRequest

from frontline.core.models import User
from frontline.people.models import Resident
from frontline.people.presenters import resident_masked, resident_place
from frontline.people.roster import (
    COLUMNS,
    CheckedRow,
    RowChecker,
    import_places,
    places_require_village,
)
from frontline.people.selectors import (
    query_is_personal,
    resident_find,
    residents_for,
    residents_tagged,
    residents_tagged_in,
)
from frontline.people.services import (
    resident_create,
    resident_create_unidentified,
    resident_merge_into,
    resident_tags_sync,
    resident_update,
    village_of,
)

# What a picker's search box says when a whole ID or phone was put in its URL.
PERSONAL_IN_URL = "完整的身份证号或手机号不能放进网址：请输入姓名或手机尾号"


def personal_query_dropped(request: HttpRequest) -> bool:
    """Whether the GET search `q` of another app's picker holds a whole ID or phone: if so
    the caller redirects to its clean URL, with this warning, before any search runs —
    the number would stay in history and logs, and be echoed into the page (SECURITY 9)."""
    if not query_is_personal((request.GET.get("q") or "").strip()):
        return False
    messages.warning(request, PERSONAL_IN_URL)
    return True


__all__ = [
    "PERSONAL_IN_URL",
    "PERSON_COLUMNS",
    "CheckedRow",
    "RowChecker",
    "person_row_checker",
    "personal_query_dropped",
    "query_is_personal",
    "resident_create",
    "resident_create_unidentified",
    "resident_find",
    "resident_masked",
    "resident_merge_into",
    "resident_phone",
    "resident_place",
    "resident_tags_sync",
    "resident_update",
    "residents_by_id_hash",
    "residents_for",
    "residents_tagged",
    "residents_tagged_in",
    "village_of",
]

# The header spellings of the person columns a list may share with the roster.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    key: COLUMNS[key]
    for key in ("name", "id_number", "phone", "village", "grid", "address", "notes")
}


def person_row_checker(*, actor: User, permission: str, mapping: dict[str, int]) -> RowChecker:
    """A checker of a list's person columns, as the roster checks them: `.check(number,
    raw)` gives a CheckedRow (name, ID, hash, phone, village or grid, address, notes), the
    row's errors (RowError) or None for an empty row; an ID seen twice in the file is an
    error. Places are those where `permission` reaches; a file without a village column
    is refused (UploadRejected) unless the actor has a single village."""
    places = import_places(actor, permission)
    places_require_village(mapping, places)
    return RowChecker(mapping, places, {})


def resident_phone(resident: Resident) -> str:
    """The resident's whole phone as a Chinese user writes it ("" if none). The caller has
    checked that the asker needs it and written the audit row with their reason."""
    return resident.phone_shown


def residents_by_id_hash(hashes: Iterable[str]) -> dict[str, Resident]:
    """Registered residents with these ID hashes (any village), by hash, with their node."""
    found: dict[str, Resident] = {}
    hashes = list(hashes)
    for start in range(0, len(hashes), 500):
        for resident in Resident.objects.filter(
            id_hash__in=hashes[start : start + 500]
        ).select_related("node"):
            found[resident.id_hash] = resident
    return found
