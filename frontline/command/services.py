"""Writes of the command app: the town's wording of the report, and the morning's
rollups that make yesterday's report ready before the leader opens it."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from frontline.command.models import BattleWording
from frontline.command.report import PLACEHOLDER, SENTENCE_IDS
from frontline.command.rollups import days_of, recompute
from frontline.core.audit import audit_record
from frontline.core.models import Node, NodeKind, User
from frontline.core.registry import registry
from frontline.core.scoping import require_permission_at

MANAGE = "command.manage"


def wording_check(text: str) -> str:
    """A wording's text, trimmed, or a Chinese refusal naming what is wrong with it."""
    text = " ".join(text.split())
    if len(text) > 300:
        raise ValidationError({"text": "措辞最多 300 字"})
    known = registry().figures
    for key in PLACEHOLDER.findall(text):
        if key not in known:
            raise ValidationError({"text": f"措辞中的 {{{key}}} 不是已知的指标"})
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        raise ValidationError({"text": "花括号只能用来写指标，如 {readings}"})
    return text


@transaction.atomic
def wording_save(*, actor: User, node: Node, sentence: str, text: str) -> BattleWording | None:
    """Set a node's wording of one report sentence; an empty text restores the default.
    Returns the wording kept, or None when the default is back."""
    require_permission_at(actor, MANAGE, node)
    if sentence not in SENTENCE_IDS:
        raise ValidationError({"sentence": "没有这句话"})
    text = wording_check(text)
    if not text:
        BattleWording.objects.filter(node=node, sentence=sentence).delete()
        audit_record(actor=actor, action="command.wording.reset", node=node, fields=["text"])
        return None
    wording, _ = BattleWording.objects.update_or_create(
        node=node, sentence=sentence, defaults={"text": text, "updated_by": actor}
    )
    audit_record(actor=actor, action="command.wording.update", obj=wording, fields=["text"])
    return wording


def report_prepare(*, day: date, days_back: int = 3) -> int:
    """Count the closed days up to `day` again for the district, every town and every
    village (a scheduler runs this before 08:00, so yesterday's report opens at once;
    the days before it take in readings that phones synced late). Returns the rollups
    written. Run by the system, not a user: nothing to audit."""
    figures = list(registry().figures.values())
    span = days_of(day - timedelta(days=days_back - 1), day)
    written = 0
    kinds = [NodeKind.DISTRICT, NodeKind.TOWN, NodeKind.VILLAGE]
    for node in Node.objects.filter(kind__in=kinds, is_active=True).order_by("path"):
        with transaction.atomic():
            written += recompute(node, figures, span)
    return written
