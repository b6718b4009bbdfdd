"""Retention (SECURITY 29–30): each app declares in its manifest the kinds of record it
keeps only for a time (`Retention`); `manage.py retention` finds what is past its time and,
with --apply, anonymises it: names, plates, places and free text go, the rows stay, so
every count, figure and battle report reads the same afterwards.

A kind's days: `FRONTLINE_RETENTION_<KIND>_DAYS` (settings.RETENTION_DAYS), else the
manifest's default. Records that ended before today minus the days are due.
"""

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.registry import Retention, registry

# What a required name or place becomes once anonymised.
ANONYMISED = "（已匿名）"


def cutoff_start(cutoff: date) -> datetime:
    """The first moment of the cutoff day, for records ended at a time, not on a day."""
    return timezone.make_aware(datetime.combine(cutoff, time.min))


def _function(dotted: str):
    module, name = dotted.split(":")
    return getattr(importlib.import_module(module), name)


def retention_days(rule: Retention) -> int:
    days = settings.RETENTION_DAYS.get(rule.kind, rule.default_days)
    if days < 1:
        raise ImproperlyConfigured(f"FRONTLINE_RETENTION_{rule.kind.upper()}_DAYS must be ≥ 1")
    return days


def retention_rules() -> list[Retention]:
    """Every declared kind; a configured kind nobody declares is refused (a typo would
    otherwise keep data for ever)."""
    rules = registry().retention
    unknown = set(settings.RETENTION_DAYS) - rules.keys()
    if unknown:
        raise ImproperlyConfigured(
            f"FRONTLINE_RETENTION_*_DAYS names unknown kinds {sorted(unknown)}; "
            f"known: {sorted(rules)}"
        )
    return list(rules.values())


@dataclass(frozen=True)
class RetentionDue:
    rule: Retention
    days: int
    cutoff: date
    count: int


def retention_due(today: date | None = None) -> list[RetentionDue]:
    """For each kind: its days, its cutoff and how many records are due (the dry run)."""
    today = today or timezone.localdate()
    found = []
    for rule in retention_rules():
        days = retention_days(rule)
        cutoff = today - timedelta(days=days)
        found.append(RetentionDue(rule, days, cutoff, _function(rule.count)(cutoff=cutoff)))
    return found


def retention_apply(*, due: RetentionDue) -> int:
    """Anonymise one kind's due records and record it in the audit log: both, or neither."""
    with transaction.atomic():
        changed = _function(due.rule.anonymise)(cutoff=due.cutoff)
        audit_record(
            actor=None,
            action="core.retention.anonymise",
            object_type=due.rule.kind,
            fields=list(due.rule.fields),
            reason=f"{due.rule.label}：{changed} 条，{due.rule.ends}早于 {due.cutoff:%Y-%m-%d}"
            f"（保留 {due.days} 天）",
        )
    return changed
