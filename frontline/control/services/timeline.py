"""The key person's timeline (一抓到底): every service that changes a case adds a step."""

from frontline.control.models import KeyPerson, TimelineEntry
from frontline.core.models import User


def timeline_add(key_person: KeyPerson, kind: str, text: str, actor: User | None) -> None:
    """Append one step; steps are never edited."""
    TimelineEntry.objects.create(key_person=key_person, kind=kind, text=text[:500], actor=actor)
