"""Supervision's figures for the command dashboard; each url lists exactly the rows counted."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from frontline.checkpoints import public as checkpoints
from frontline.core.lists import node_url
from frontline.core.models import Node
from frontline.core.scoping import path_filter
from frontline.supervision.models import (
    CadreRecord,
    Finding,
    HolidayDuty,
    Honour,
    InspectionGroup,
)

MODEL_VILLAGE = "示范村"
BENCHMARK_CHECKPOINT = "标杆卡口"


def _within(node: Node, field: str = "node__path"):
    return path_filter([node.path], field)


def inspection_groups(node: Node, start: date, end: date) -> int:
    """督察组 set up at or below the node by the span's end."""
    return InspectionGroup.objects.filter(_within(node), created_at__date__lte=end).count()


def groups_page(node: Node, start: date, end: date) -> str:
    return reverse("supervision:groups") + "?" + urlencode({"node": node.pk, "until": end})


def honours_of(node: Node, kind_name: str, end: date):
    """Honours of one title held at or below the node, granted by the span's end."""
    return Honour.objects.filter(_within(node), kind__name=kind_name, granted_at__date__lte=end)


def model_villages(node: Node, start: date, end: date) -> int:
    """Villages holding 示范村 (one title per village counted once)."""
    return honours_of(node, MODEL_VILLAGE, end).values("target_id").distinct().count()


def benchmark_checkpoints(node: Node, start: date, end: date) -> int:
    """Checkpoints holding 标杆卡口 (counted once each)."""
    return honours_of(node, BENCHMARK_CHECKPOINT, end).values("target_id").distinct().count()


def honours_page(node: Node, start: date, end: date) -> str:
    return reverse("supervision:honours") + "?" + urlencode({"node": node.pk, "until": end})


def cadre_records_of(node: Node, kind: str, start: date, end: date):
    return CadreRecord.objects.filter(_within(node), kind=kind, day__range=(start, end))


def cadres_evaluated(node: Node, start: date, end: date) -> int:
    """股级干部考察 records of the span."""
    return cadre_records_of(node, "evaluated", start, end).count()


def cadres_promoted(node: Node, start: date, end: date) -> int:
    """村干部提拔 records of the span."""
    return cadre_records_of(node, "promoted", start, end).count()


def activists_developed(node: Node, start: date, end: date) -> int:
    """发展入党积极分子 records of the span."""
    return cadre_records_of(node, "activist", start, end).count()


def cadre_page(kind: str):
    def url(node: Node, start: date, end: date) -> str:
        query = {"node": node.pk, "kind": kind, "since": start, "until": end}
        return reverse("supervision:cadre_records") + "?" + urlencode(query)

    return url


def duty_people(node: Node, start: date, end: date) -> list[dict]:
    """Every cadre's days of duty in the span: checkpoint check-ins, then typed days where
    no check-in shows that cadre on that day."""
    rows = [dict(row, source="卡口签到") for row in checkpoints.cadres_on_duty(node, start, end)]
    seen = {(row["day"], row["name"]) for row in rows}
    typed = HolidayDuty.objects.filter(_within(node), day__range=(start, end)).select_related(
        "node"
    )
    for duty in typed:
        if (duty.day, duty.cadre_name) not in seen:
            seen.add((duty.day, duty.cadre_name))
            rows.append(
                {
                    "day": duty.day,
                    "name": duty.cadre_name,
                    "place": duty.place,
                    "node": duty.node,
                    "source": "补录",
                }
            )
    rows.sort(key=lambda row: (row["day"], row["name"]))
    return rows


def cadres_on_duty(node: Node, start: date, end: date) -> int:
    """Cadres on duty on at least one day of the span (each counted once)."""
    return len({row["name"] for row in duty_people(node, start, end)})


def duty_page(node: Node, start: date, end: date) -> str:
    query = {"node": node.pk, "since": start, "until": end}
    return reverse("supervision:duty") + "?" + urlencode(query)


def my_open_findings(user) -> int:
    """The home card's number: open findings the user owns."""
    from frontline.supervision.selectors import findings_owned

    return findings_owned(user).count()


def flagged_findings(user) -> int:
    """The home card's number for the owners' leaders: overdue findings flagged to them."""
    from frontline.supervision.selectors import findings_flagged

    return findings_flagged(user).count()


def findings_overdue(node: Node, start: date, end: date) -> int:
    """Open findings past their deadline, right now (逾期未整改问题)."""
    from frontline.supervision.selectors import overdue

    return overdue(Finding.objects.filter(_within(node))).count()


def findings_page(node: Node, start: date, end: date) -> str:
    return node_url("supervision:findings", node, show="overdue")
