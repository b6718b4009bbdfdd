"""The Excel lists a village sends upward every day, one tap from their pages: key persons,
the 体温登记表 (isolations and the day's readings), missed slots and fever alerts. Masked
as the pages are, formula-safe (core.spreadsheets), and each download audited."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from frontline.control import selectors
from frontline.control.masking import own_round_for
from frontline.control.missed import missed_under
from frontline.control.models import KeyPersonStatus
from frontline.core.audit import audit_record
from frontline.core.lists import list_node, list_span
from frontline.core.scoping import require_permission_or_404, scope_root, user_can
from frontline.core.xlsx_export import xlsx_response

PERMISSION = "control.export"


def _audited(request: HttpRequest, action: str, fields: list[str], reason: str = "") -> None:
    require_permission_or_404(request.user, PERMISSION)
    audit_record(
        actor=request.user,
        action=action,
        node=scope_root(request.user, PERMISSION),
        object_type=action.rsplit(".", 1)[0],
        fields=fields,
        reason=reason,
    )


def _exportable(request: HttpRequest, items, node_of):
    """The rows the user may export: the pages' rows at the nodes where they hold
    control.export (a user may view more widely than they export)."""
    for item in items:
        if user_can(request.user, PERMISSION, node_of(item)):
            yield item


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


KEY_PERSON_HEADERS = [
    "姓名",
    "类别",
    "所在村/网格",
    "发现途径",
    "来源地",
    "抵达日期",
    "状态",
    "居家隔离",
    "责任领导",
    "工作专班",
    "四个一缺项",
    "登记时间",
]


@login_required
@require_GET
def key_person_export(request: HttpRequest) -> HttpResponse:
    """The key-person list as filtered on its page."""
    status = request.GET.get("status", KeyPersonStatus.ACTIVE)
    status = status if status in KeyPersonStatus.values else ""
    category = request.GET.get("category") or ""
    # The audit row names the filter as understood, never the query string as typed: a
    # number in it would be refused by the log (and has no place there).
    _audited(
        request,
        "control.key_person.export",
        ["name", "origin", "arrival_date"],
        f"状态：{status or '全部'}",
    )
    people = selectors.key_person_list(
        request.user,
        status=status,
        category=int(category) if category.isdigit() else None,
        gaps_only=request.GET.get("gaps") == "1",
    ).select_related("leader")
    own = own_round_for(request)
    rows = (
        [
            own.person_name(p),
            p.category.name,
            p.node.name,
            p.get_found_via_display(),
            p.origin,
            _day(p.arrival_date),
            p.get_status_display(),
            "是" if p.active_isolations else "否",
            str(p.leader) if p.leader else "",
            p.team,
            "、".join(p.gaps),
            _when(p.created_at),
        ]
        for p in _exportable(request, people.iterator(chunk_size=2000), lambda p: p.node)
    )
    today = timezone.localdate()
    return xlsx_response(
        f"重点人员-{today:%Y%m%d}.xlsx", KEY_PERSON_HEADERS, rows, sheet="重点人员"
    )


READING_HEADERS = [
    "姓名",
    "所在村/网格",
    "隔离地址",
    "隔离开始",
    "预计解除",
    "上午体温",
    "下午体温",
    "发热",
]


@login_required
@require_GET
def reading_export(request: HttpRequest) -> HttpResponse:
    """The 体温登记表: every isolation under way on the day, its morning and afternoon reading."""
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    _audited(request, "control.reading.export", ["name", "address", "value"], f"日期：{day}")
    own = own_round_for(request)
    items = selectors.round_items(request.user, day, permission=PERMISSION, own=own)
    rows = (
        [
            own.isolation_name(i.isolation),
            i.isolation.node.name,
            own.isolation_address(i.isolation),
            _day(i.isolation.start_date),
            _day(i.isolation.end_date),
            i.am.value if i.am.value is not None else "",
            i.pm.value if i.pm.value is not None else "",
            "是" if i.am.is_fever or i.pm.is_fever else "",
        ]
        for i in items
    )
    return xlsx_response(f"体温登记表-{day:%Y%m%d}.xlsx", READING_HEADERS, rows, sheet="体温登记表")


OVERDUE_HEADERS = ["日期", "时段", "姓名", "所在村/网格", "隔离地址"]


@login_required
@require_GET
def overdue_export(request: HttpRequest) -> HttpResponse:
    """The 漏测 list's slots as Excel: its node and span (?node=&from=&to=; by default the
    last three days everywhere the user looks), the rows the list shows."""
    node = list_node(request.user, request.GET.get("node"), "control.view")
    start, end = list_span(request, days_back=2)
    reason = f"{node.name if node else ''} {start:%Y-%m-%d}～{end:%Y-%m-%d}".strip()
    _audited(request, "control.overdue.export", ["name", "address"], reason)
    missed = missed_under(request.user, node, start, end)
    own = own_round_for(request)
    rows = (
        [
            _day(o.day),
            o.slot_label,
            own.isolation_name(o.isolation),
            o.isolation.node.name,
            own.isolation_address(o.isolation),
        ]
        for o in _exportable(request, missed[:], lambda o: o.isolation.node)
    )
    name = f"漏测-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return xlsx_response(name, OVERDUE_HEADERS, rows, sheet="漏测")


ALERT_HEADERS = [
    "测量时间",
    "时段",
    "姓名",
    "所在村/网格",
    "体温",
    "症状",
    "状态",
    "处置",
    "复测体温",
    "处置说明",
    "处置时间",
]


@login_required
@require_GET
def alert_export(request: HttpRequest) -> HttpResponse:
    """Fever alerts, open or handled as on the page."""
    show_open = request.GET.get("status", "open") == "open"
    _audited(
        request,
        "control.alert.export",
        ["name", "value", "symptoms"],
        "待处置" if show_open else "已处置",
    )
    alerts = selectors.alerts_for(request.user, is_open=show_open)
    own = own_round_for(request)
    rows = (
        [
            _when(a.reading.taken_at),
            a.reading.get_slot_display(),
            own.isolation_name(a.isolation),
            a.node.name,
            a.reading.value,
            a.reading.symptoms,
            "待处置" if a.is_open else "已处置",
            a.get_action_display() if a.action else "",
            a.retest_value if a.retest_value is not None else "",
            a.note,
            _when(a.handled_at),
        ]
        for a in _exportable(request, alerts.iterator(chunk_size=2000), lambda a: a.node)
    )
    today = timezone.localdate()
    return xlsx_response(f"发热预警-{today:%Y%m%d}.xlsx", ALERT_HEADERS, rows, sheet="发热预警")
