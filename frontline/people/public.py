"""What other apps may use of the people registry; nothing else of people is theirs to import.

- Scoped reads: residents where the user holds a permission (`residents_for`), a picker's
  search by name or phone tail (`resident_find`), residents holding tags by tag name
  (`residents_tagged`, `residents_tagged_in`).
- Find or create: `resident_create` registers a resident with the registry's checks and audit.
- Masked presentation, the same in every app (SECURITY 3): `resident_masked`, `resident_place`.
- The village a node belongs to (a grid's parent), or None above villages: `village_of`.

Another app links to a resident with a foreign key given as a string ("people.Resident"),
reads residents through these functions and never saves one itself.
"""

from frontline.people.presenters import resident_masked, resident_place
from frontline.people.selectors import (
    resident_find,
    residents_for,
    residents_tagged,
    residents_tagged_in,
)
from frontline.people.services import resident_create, village_of

__all__ = [
    "resident_create",
    "resident_find",
    "resident_masked",
    "resident_place",
    "residents_for",
    "residents_tagged",
    "residents_tagged_in",
    "village_of",
]
