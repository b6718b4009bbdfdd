"""The 红黑榜: weights, publishing, honours."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supervision import ranking as ranking_rules
from frontline.supervision.models import (
    Honour,
    HonourKind,
    Ranking,
    RankingWeights,
    TargetKind,
)


def ranking_handle(*, node: Node, period_kind: str, day: date) -> Ranking:
    """The list of a node's period as a row the API can name by id: the published one, or
    an empty handle (not published, nothing frozen) made the first time it is asked for."""
    period = ranking_rules.period_of(period_kind, day)
    found = Ranking.objects.filter(node=node, period_kind=period.kind, start=period.start).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            handle = Ranking(node=node, period_kind=period.kind, start=period.start, end=period.end)
            handle.save()
            return handle
    except IntegrityError:
        # Two readers asked at once: the other one made it.
        return Ranking.objects.get(node=node, period_kind=period.kind, start=period.start)


@transaction.atomic
def ranking_publish(
    *, actor: User, node: Node, period_kind: str, start: date, at: datetime | None = None
) -> Ranking:
    """Freeze the list of a period as computed now, with the weights in force, who published
    it and when. One list per node and period; a published list never changes."""
    require_permission_at(actor, "supervision.manage", node)
    period = ranking_rules.period_of(period_kind, start)
    if period.end >= timezone.localdate(at or timezone.now()):
        raise ValidationError({"start": "本期尚未结束，期满后才能发布"})
    handle = ranking_handle(node=node, period_kind=period.kind, day=period.start)
    if handle.is_published:
        raise ValidationError({"start": "该期红黑榜已发布，发布后不能修改"})
    table = ranking_rules.compute(node, period)
    frozen = {
        "rows": table.rows_json(),
        "weights": table.weights,
        "formula": table.formula,
        "published_by": actor,
        "published_at": at or timezone.now(),
    }
    probe = Ranking(node=node, period_kind=period.kind, start=period.start, end=period.end)
    for name, value in frozen.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["node", "published_by"], validate_unique=False)
    # The one write a list ever gets: only while it is still unpublished (a second publisher
    # racing this one updates nothing and is refused).
    updated = Ranking.objects.filter(pk=handle.pk, published_at__isnull=True).update(**frozen)
    if not updated:
        raise ValidationError({"start": "该期红黑榜已发布，发布后不能修改"})
    ranking = Ranking.objects.select_related("published_by").get(pk=handle.pk)
    audit_record(
        actor=actor, action="supervision.ranking.publish", obj=ranking, fields=["rows", "weights"]
    )
    return ranking


@transaction.atomic
def ranking_weights_set(*, actor: User, node: Node, weights: dict) -> RankingWeights:
    """Store the weights a node's lists are computed with from now on; each kind's parts
    are whole numbers 0–100 summing to 100. Lists already published keep theirs."""
    require_permission_at(actor, "supervision.manage", node)
    clean: dict[str, dict[str, int]] = {}
    errors = []
    for kind, defaults in ranking_rules.WEIGHTS.items():
        label = TargetKind(kind).label
        given = (weights or {}).get(str(kind)) or {}
        parts = {}
        for part in defaults:
            raw = given.get(part)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                errors.append(f"{label}·{ranking_rules.PARTS[part]}：请填写 0–100 的整数")
                continue
            if not 0 <= value <= 100:
                errors.append(f"{label}·{ranking_rules.PARTS[part]}：须在 0–100 之间")
                continue
            parts[part] = value
        if len(parts) == len(defaults) and sum(parts.values()) != 100:
            errors.append(f"{label}的权重合计须为 100，现为 {sum(parts.values())}")
        clean[str(kind)] = parts
    if errors:
        raise ValidationError({"weights": errors})
    stored, _ = RankingWeights.objects.update_or_create(
        node=node, defaults={"weights": clean, "updated_by": actor}
    )
    audit_record(actor=actor, action="supervision.weights.update", obj=stored, fields=["weights"])
    return stored


@transaction.atomic
def honour_grant(
    *, actor: User, kind: HonourKind, ranking: Ranking, target_kind: str, target_id: int
) -> Honour:
    """Grant a title to a village or checkpoint on the red list of a published ranking."""
    require_permission_at(actor, "supervision.manage", ranking.node)
    if kind.target_kind != target_kind:
        raise ValidationError(
            {"target_kind": f"“{kind.name}”只授予{kind.get_target_kind_display()}"}
        )
    row = next(
        (
            r
            for r in ranking.rows
            if r["target_kind"] == target_kind and r["target_id"] == int(target_id)
        ),
        None,
    )
    if row is None:
        raise ValidationError({"target_id": "该对象不在这期红黑榜上"})
    if row["list"] != "red":
        raise ValidationError({"target_id": f"“{row['label']}”不在红榜上，不能授予{kind.name}"})
    if Honour.objects.filter(
        kind=kind, ranking=ranking, target_kind=target_kind, target_id=row["target_id"]
    ).exists():
        raise ValidationError({"target_id": f"“{row['label']}”已获{kind.name}"})
    honour = Honour(
        kind=kind,
        ranking=ranking,
        target_kind=target_kind,
        target_id=row["target_id"],
        target_label=row["label"],
        node_id=row["node_id"],
        granted_by=actor,
    )
    honour.save()
    audit_record(actor=actor, action="supervision.honour.grant", obj=honour, fields=["kind"])
    return honour


@transaction.atomic
def honour_kind_create(*, actor: User | None, name: str, target_kind: str) -> HonourKind:
    """A new title (besides 示范村 and 标杆卡口) that lists may grant."""
    kind = HonourKind(name=name.strip(), target_kind=target_kind)
    kind.full_clean()
    kind.save()
    audit_record(actor=actor, action="supervision.honour_kind.create", obj=kind, fields=["name"])
    return kind
