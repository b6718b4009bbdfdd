"""What other apps may use of party organisations; nothing else of party is theirs to import.

- The organisation whose flag flies at a checkpoint (旗帜飘扬在一线), for the checkpoint's
  page to link its 责任党支部 to it (`checkpoint_flag`).
"""

from frontline.core.models import User
from frontline.party import selectors

__all__ = ["checkpoint_flag"]


def checkpoint_flag(user: User, checkpoint_id: int) -> tuple[int, str] | None:
    """(organisation id, name) of the flag at this checkpoint, or None — also when the user
    may not open that organisation's page (a link shown must open)."""
    site = selectors.flag_of_checkpoint(user, checkpoint_id)
    return (site.org_id, site.org.name) if site else None
