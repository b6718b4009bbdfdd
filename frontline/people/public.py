"""What other apps may use of the people registry for their own imports: the person
columns a list shares with the roster, checked as the roster checks them, and the
residents such a list names. Nothing else of people's internals is theirs to import."""

from collections.abc import Iterable

from frontline.core.models import User
from frontline.people.models import Resident
from frontline.people.roster import (
    COLUMNS,
    CheckedRow,
    RowChecker,
    import_places,
    places_require_village,
)
from frontline.people.services import resident_create

__all__ = [
    "PERSON_COLUMNS",
    "CheckedRow",
    "RowChecker",
    "person_row_checker",
    "resident_create",
    "residents_by_id_hash",
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
