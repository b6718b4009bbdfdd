"""The 红黑榜 formula: each village and checkpoint below a node scored over a week or month.

Parts (each 0–100) and weights are shown on the page with the tie rule (`FORMULA`,
`TIE_RULE`). Screening, temperature rounds and checkpoint manning are read through the
registry's figures and checkpoints' public module, never other apps' models.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, F, Q

from frontline.checkpoints import public as checkpoints
from frontline.core.models import PATH_SEGMENT, Node, NodeKind
from frontline.core.registry import registry
from frontline.core.scoping import path_filter
from frontline.supervision.models import (
    Finding,
    Inspection,
    PeriodKind,
    RankingWeights,
    TargetKind,
)
from frontline.supervision.selectors import Period

PARTS = {
    "inspection": "督查得分",
    "screening": "排查覆盖",
    "readings": "测温按时",
    "manning": "卡口值守",
    "overdue": "整改按期",
}
# The default weights; a town may store its own (`RankingWeights`, `weights_for`).
WEIGHTS = {
    TargetKind.VILLAGE: {
        "inspection": 40,
        "screening": 20,
        "readings": 15,
        "manning": 15,
        "overdue": 10,
    },
    TargetKind.CHECKPOINT: {"inspection": 60, "manning": 30, "overdue": 10},
}
# Points taken off 整改按期 for each finding not rectified by its deadline in the period.
OVERDUE_PENALTY = 25
FORMULA = (
    "总分 = Σ 各项得分 × 权重 ÷ 100。督查得分：本期检查得分率的平均（未受检查的按本期全部"
    "检查的平均计）；排查覆盖：有排查记录的单位·天 ÷ 本期天数（最高 100）；测温按时：按时测温"
    " ÷（按时 + 漏测），无隔离户计 100；卡口值守：各卡口有人签到的天数 ÷ 本期天数的平均，无卡口计"
    f" 100；整改按期：100 − {OVERDUE_PENALTY} × 本期到期未整改的问题数（最低 0）。"
    "前四分之一上红榜，后四分之一上黑榜。"
)
TIE_RULE = (
    "总分（保留一位小数）相同者并列同一名次；并列者按督查得分高者在前，再相同按辖区顺序。"
    "并列跨越红榜或黑榜边界的，一同上榜。"
)


def weights_for(node: Node) -> dict[str, dict[str, int]]:
    """The weights in force at a node: its own, else the nearest stored above it, else the
    defaults; always both kinds with every part (a stored set missing one is completed)."""
    step = PATH_SEGMENT
    ancestors = [node.path[:end] for end in range(step, len(node.path) + 1, step)] or [node.path]
    stored = (
        RankingWeights.objects.filter(node__path__in=ancestors)
        .order_by("-node__depth")
        .values_list("weights", flat=True)
        .first()
    )
    weights = {str(kind): dict(parts) for kind, parts in WEIGHTS.items()}
    for kind, parts in (stored or {}).items():
        if kind in weights:
            weights[kind] = {part: int(parts.get(part, 0)) for part in weights[kind]}
    return weights


def period_of(kind: str, day: date) -> Period:
    """The week (Monday–Sunday) or calendar month holding a day."""
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return Period(PeriodKind.MONTH, start, following - timedelta(days=1))
    start = day - timedelta(days=day.weekday())
    return Period(PeriodKind.WEEK, start, start + timedelta(days=6))


@dataclass
class Row:
    target_kind: str
    target_id: int
    label: str
    node_id: int
    order: str
    parts: dict[str, float]
    score: float = 0.0
    rank: int = 0
    list: str = ""

    def as_json(self) -> dict:
        return {
            "target_kind": self.target_kind,
            "target_id": self.target_id,
            "label": self.label,
            "node_id": self.node_id,
            "parts": self.parts,
            "score": self.score,
            "rank": self.rank,
            "list": self.list,
        }


@dataclass
class Table:
    period: Period
    rows: list[Row] = field(default_factory=list)
    weights: dict = field(default_factory=lambda: {str(k): dict(v) for k, v in WEIGHTS.items()})
    formula: str = FORMULA + TIE_RULE

    def rows_json(self) -> list[dict]:
        return [row.as_json() for row in self.rows]


def _figure(key: str, node: Node, period: Period) -> int:
    figure = registry().figures.get(key)
    return int(figure.compute(node, period.start, period.end)) if figure else 0


def _inspection_percent(node: Node, period: Period, kind: str) -> dict[int, float]:
    """Mean score percentage per target of a kind (for villages: per village node)."""
    inspections = Inspection.objects.filter(
        path_filter([node.path], "node__path"), day__range=(period.start, period.end)
    ).annotate(percent=100.0 * F("total") / F("max_total"))
    if kind == TargetKind.CHECKPOINT:
        grouped = inspections.filter(target_kind=kind).values("target_id")
        return {r["target_id"]: r["avg"] for r in grouped.annotate(avg=Avg("percent"))}
    # A village's own inspection and those of what lies below it (its enterprises, isolations…).
    by_node = inspections.values("node__path").annotate(avg=Avg("percent"), n=Count("id"))
    return {row["node__path"]: (row["avg"], row["n"]) for row in by_node}


def _overdue(node: Node, period: Period) -> list[tuple[str, int, str]]:
    """(node path, inspection target id, target kind) of each finding due in the period and
    not rectified by its deadline."""
    due = Finding.objects.filter(
        path_filter([node.path], "node__path"), deadline__range=(period.start, period.end)
    ).filter(Q(rectified_at__isnull=True) | Q(rectified_at__date__gt=F("deadline")))
    return list(due.values_list("node__path", "inspection__target_id", "inspection__target_kind"))


def _ranked(rows: list[Row]) -> list[Row]:
    rows.sort(key=lambda r: (-r.score, -r.parts.get("inspection", 0), r.order))
    previous, rank = None, 0
    for index, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = index, row.score
        row.rank = rank
    size = math.ceil(len(rows) / 4) if rows else 0
    if size:
        red_cut = rows[size - 1].score
        black_cut = rows[-size].score
        for row in rows:
            if row.score >= red_cut:
                row.list = "red"
            elif row.score <= black_cut:
                row.list = "black"
    return rows


def _weighted(parts: dict[str, float], weights: dict[str, int]) -> float:
    return round(sum(parts[k] * w for k, w in weights.items()) / 100, 1)


def compute(node: Node, period: Period, weights: dict | None = None) -> Table:
    """The list of a period for the villages and checkpoints at and below a node, with the
    weights in force at the node (or those given)."""
    table = Table(period, weights=weights or weights_for(node))
    days = (period.end - period.start).days + 1
    overdue = _overdue(node, period)
    cps = checkpoints.checkpoints_under(node)
    manned = checkpoints.manned_days([pk for pk, _, _ in cps], period.start, period.end)
    manning = {pk: min(100.0, 100.0 * manned[pk] / days) for pk, _, _ in cps}

    by_path = _inspection_percent(node, period, TargetKind.VILLAGE)
    everyone = [avg for avg, _ in by_path.values()]
    mean_all = sum(everyone) / len(everyone) if everyone else 0.0
    villages = Node.objects.filter(
        path_filter([node.path]), kind=NodeKind.VILLAGE, is_active=True
    ).order_by("path")
    village_rows = []
    for village in villages:
        inside = [(avg, n) for path, (avg, n) in by_path.items() if path.startswith(village.path)]
        count = sum(n for _, n in inside)
        inspection = sum(avg * n for avg, n in inside) / count if count else mean_all
        screened = _figure("units_screened", village, period)
        taken, missed = (
            _figure("readings", village, period),
            _figure("readings_missed", village, period),
        )
        own_cps = [pk for pk, _, cp_node in cps if cp_node.path.startswith(village.path)]
        late = sum(1 for path, _, _ in overdue if path.startswith(village.path))
        parts = {
            "inspection": round(inspection, 1),
            "screening": round(min(100.0, 100.0 * screened / days), 1),
            "readings": round(100.0 * taken / (taken + missed), 1) if taken + missed else 100.0,
            "manning": round(sum(manning[pk] for pk in own_cps) / len(own_cps), 1)
            if own_cps
            else 100.0,
            "overdue": float(max(0, 100 - OVERDUE_PENALTY * late)),
        }
        row = Row(TargetKind.VILLAGE, village.pk, village.name, village.pk, village.path, parts)
        row.score = _weighted(parts, table.weights[TargetKind.VILLAGE])
        village_rows.append(row)

    by_cp = _inspection_percent(node, period, TargetKind.CHECKPOINT)
    cp_mean = sum(by_cp.values()) / len(by_cp) if by_cp else 0.0
    cp_rows = []
    for pk, name, cp_node in cps:
        late = sum(
            1 for _, target, kind in overdue if kind == TargetKind.CHECKPOINT and target == pk
        )
        parts = {
            "inspection": round(by_cp.get(pk, cp_mean), 1),
            "manning": round(manning[pk], 1),
            "overdue": float(max(0, 100 - OVERDUE_PENALTY * late)),
        }
        row = Row(TargetKind.CHECKPOINT, pk, name, cp_node.pk, f"{cp_node.path}/{name}", parts)
        row.score = _weighted(parts, table.weights[TargetKind.CHECKPOINT])
        cp_rows.append(row)
    table.rows = _ranked(village_rows) + _ranked(cp_rows)
    return table
