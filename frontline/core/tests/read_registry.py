"""How an app declares which of its pages and endpoints show health, travel or quarantine
data, for the walk in test_audited_reads.

Each app may have `tests/audited_reads.py` defining:
- AUDITED: {url name: Read(action)}: a GET there shows a temperature, an origin or a health
  status (key person, isolation, fever), and records exactly one `audit_read` row with
  `action`. The walk reaches the route with the GET call of its scope target (or, for a
  route without ids, a bare GET), or with `Read.get` where the data must first exist;
- PLAIN: {url name: why it shows none of that}.

Every GET route of the project's own code is in exactly one of them: a new page or endpoint
fails the walk until its app says which it is.
"""

import importlib
from dataclasses import dataclass

from django.apps import apps

from frontline.core.tests.scope_registry import Make


@dataclass(frozen=True)
class Read:
    """A GET that shows health, travel or quarantine data, and the audit action it records."""

    action: str
    # Builds, in 郑园村, what the page must show before it records a read (a resident under
    # key-person control); without it the scope target's GET call is used.
    get: Make | None = None


def all_reads() -> tuple[dict[str, Read], dict[str, str]]:
    audited: dict[str, Read] = {}
    plain: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("frontline."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.audited_reads")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tests.audited_reads":
                raise
            continue
        for mine, theirs in ((module.AUDITED, audited), (getattr(module, "PLAIN", {}), plain)):
            overlap = (audited.keys() | plain.keys()) & mine.keys()
            assert not overlap, f"url names declared twice: {overlap}"
            theirs.update(mine)
    return audited, plain
