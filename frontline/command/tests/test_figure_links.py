"""Every figure is a link to exactly the rows it counts (issue 20): activity is recorded
through the services in two villages on two days; for yesterday and 三店村 each figure's
number is the number of rows its linked list shows, and today's rows and 郑园村's are not
among them. Figures of what waits now (kind "now") are read live, narrowed to a village."""

import os
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from frontline.checkpoints import services as checkpoint_services
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.control.services import readings as reading_services
from frontline.control.tests.factories import isolation_make
from frontline.core.personal_data import name_mask
from frontline.core.registry import registry
from frontline.core.tests.fixtures import browser_login
from frontline.screening.tests.factories import record_make
from frontline.supervision.tests.factories import finding_spec, group_make, inspection_make

_keys = count(1)


def _clock(monkeypatch, day: date, hour: int = 10) -> datetime:
    """The clock set to `hour` on `day` (Asia/Shanghai): the services record as of then."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def _reading(actor, isolation, value: str, at: datetime) -> None:
    reading_services.reading_record(
        actor=actor, isolation=isolation, value=value, slot="am", taken_at=at
    )


def _passer(actor, checkpoint, origin: str, outcome: str = "pass") -> None:
    checkpoint_services.passer_log(
        actor=actor,
        checkpoint=checkpoint,
        idempotency_key=f"link-{next(_keys)}",
        kind="person",
        outcome=outcome,
        origin=origin,
        temperature=Decimal("36.5"),
    )


@pytest.fixture
def days():
    today = timezone.localdate()
    return today - timedelta(days=1), today


@pytest.fixture
def recorded(world, days, monkeypatch):
    return _record(world, days, monkeypatch)


def _record(world, days, monkeypatch):
    """Yesterday in 三店村 and 郑园村, then today in 三店村."""
    yesterday, today = days
    sandian, zhengyuan = world.sandian_all, world.zhengyuan_all
    # A week ago an inspection found a problem in each village, to be put right in two days.
    _clock(monkeypatch, today - timedelta(days=7))
    group = group_make(world.town, [world.inspector], [world.sandian, world.zhengyuan])
    for village, text in ((world.sandian, "三店台账不全"), (world.zhengyuan, "郑园消毒不全")):
        spec = finding_spec(text=text)
        inspection_make(inspector=world.inspector, group=group, target=village, findings=[spec])
    at = _clock(monkeypatch, yesterday, 9)
    wang = isolation_make(world, world.sandian_grid, "王昨三", days_ago=3)
    li = isolation_make(world, world.sandian_grid, "李昨三", days_ago=3)
    zheng = isolation_make(world, world.zhengyuan_grid, "郑昨园", days_ago=3)
    _reading(sandian, wang, "36.4", at)
    _reading(sandian, li, "38.2", at)  # a fever: an alert opens
    _reading(zhengyuan, zheng, "38.0", at)
    east = checkpoint_make(world.sandian, name="三店东卡口")
    west = checkpoint_make(world.sandian, name="三店西卡口")
    checkpoint_make(world.sandian, name="三店北卡口")  # never manned
    gate = checkpoint_make(world.zhengyuan, name="郑园卡口")
    checkpoint_services.duty_check_in(actor=sandian, checkpoint=east)
    checkpoint_services.duty_check_in(actor=zhengyuan, checkpoint=gate)
    _passer(sandian, east, "昨三店甲")
    _passer(sandian, east, "昨三店乙", "turned_back")
    _passer(zhengyuan, gate, "昨郑园丙", "turned_back")
    record_make(world.sandian, sandian, day=yesterday)
    record_make(world.zhengyuan, zhengyuan, day=yesterday)

    at = _clock(monkeypatch, today, 10)
    zhang = isolation_make(world, world.sandian_grid, "张今三", days_ago=0)
    _reading(sandian, zhang, "36.6", at)
    _reading(sandian, wang, "36.3", at)
    checkpoint_services.duty_check_in(actor=sandian, checkpoint=west)
    _passer(sandian, east, "今三店丁", "turned_back")
    record_make(world.sandian, sandian, day=today)
    return world


def _b(name: str) -> str:
    return f"<b>{name_mask(name)}</b>"


# key: (value, shown on the list, not shown on it) for 三店村 and yesterday.
OVER_A_SPAN = {
    "key_persons": (2, [_b("王昨三"), _b("李昨三")], [_b("张今三"), _b("郑昨园")]),
    "isolated_now": (2, [_b("王昨三"), _b("李昨三")], [_b("张今三"), _b("郑昨园")]),
    "readings": (2, ["36.4℃", "38.2℃"], ["36.3℃", "36.6℃", "38.0℃"]),
    "fevers": (1, ["38.2℃"], ["36.4℃", "38.0℃"]),
    "readings_missed": (2, [_b("王昨三"), _b("李昨三")], [_b("张今三"), _b("郑昨园")]),
    "checkpoints_manned": (1, ["三店东卡口"], ["三店西卡口", "三店北卡口", "郑园卡口"]),
    "passers": (2, ["昨三店甲", "昨三店乙"], ["今三店丁", "昨郑园丙"]),
    "turned_back": (1, ["昨三店乙"], ["昨三店甲", "今三店丁", "昨郑园丙"]),
    "units_screened": (1, ["三店村"], ["郑园村"]),
}

# key: (village, value, shown, not shown), live.
NOW = {
    "alerts_open": ("sandian", 1, ["38.2℃"], ["38.0℃"]),
    "checkpoints_unmanned": (
        "sandian",
        2,
        ["三店东卡口", "三店北卡口"],
        ["三店西卡口", "郑园卡口"],
    ),
    "units_unscreened": ("zhengyuan", 1, ["郑园村"], []),
    "findings_overdue": ("sandian", 1, ["三店台账不全"], ["郑园消毒不全"]),
}

COUNT = re.compile(r'class="fw-semibold list-count">(\d+)<')
# Lists a figure of what waits now links to that are one screen, not paged: their rows.
ROWS = {
    "checkpoints_unmanned": re.compile(r'<a class="list-row"'),
    "units_unscreened": re.compile(r'class="list-row coverage-row'),
}


def _listed(key: str, html: str) -> int:
    """How many rows the page says it lists (共 N), or shows where it is one screen."""
    if key in ROWS:
        return len(ROWS[key].findall(html))
    found = COUNT.findall(html)
    assert len(found) == 1, f"{key}: the list says how many rows it holds"
    return int(found[0])


def test_every_figure_of_these_apps_is_walked():
    apps = ("control", "checkpoints", "screening")
    extra = {"findings_overdue"}
    mine = {k for k, f in registry().figures.items() if f.compute.__module__.split(".")[1] in apps}
    assert mine | extra == set(OVER_A_SPAN) | set(NOW)


@pytest.mark.parametrize("key", sorted(OVER_A_SPAN))
def test_a_figure_over_a_past_span_links_to_exactly_its_rows(key, recorded, days, login):
    world, (yesterday, today) = recorded, days
    figure = registry().figures[key]
    value, shown, hidden = OVER_A_SPAN[key]
    assert figure.compute(world.sandian, yesterday, yesterday) == value
    # Today's rows and 郑园村's exist: a list that ignored the span or the node would show them.
    assert figure.compute(world.town, yesterday, today) > value
    url = figure.url(world.sandian, yesterday, yesterday)
    assert f"node={world.sandian.pk}" in url and f"from={yesterday}" in url
    response = login(world.town_leader).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _listed(key, html) == value
    for text in shown:
        assert text in html, f"{key}: {text} is counted but not listed"
    for text in hidden:
        assert text not in html, f"{key}: {text} is listed but not counted"


@pytest.mark.parametrize("key", sorted(NOW))
def test_a_figure_of_what_waits_now_links_to_exactly_its_rows(key, recorded, days, login):
    world, (_yesterday, today) = recorded, days
    village, value, shown, hidden = NOW[key]
    node = getattr(world, village)
    figure = registry().figures[key]
    assert figure.compute(node, today, today) == value
    assert figure.compute(world.town, today, today) > value
    url = figure.url(node, today, today)
    assert f"node={node.pk}" in url
    html = login(world.town_leader).get(url).content.decode()
    assert _listed(key, html) == value
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_a_figure_link_to_a_village_outside_the_scope_is_404(recorded, days, login):
    world, (yesterday, _today) = recorded, days
    client = login(world.sandian_all)
    for key in sorted(OVER_A_SPAN) + sorted(NOW):
        url = registry().figures[key].url(world.zhengyuan, yesterday, yesterday)
        assert client.get(url).status_code == 404, key


@pytest.mark.browser
def test_every_linked_list_reads_on_a_phone(live_server, live_world, days, monkeypatch, phone):
    """At 360 px: no sideways scroll, and axe-core finds nothing."""
    from frontline.core.tests.test_accessibility import axe_violations

    world, (yesterday, _today) = _record(live_world, days, monkeypatch), days
    browser_login(phone, live_server, "town_leader")
    found = {}
    for key in sorted(OVER_A_SPAN) + sorted(NOW):
        node = getattr(world, NOW[key][0]) if key in NOW else world.sandian
        phone.goto(live_server.url + registry().figures[key].url(node, yesterday, yesterday))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, key
        if violations := axe_violations(phone, live_server):
            found[key] = [v["id"] for v in violations]
        if shots := os.environ.get("FRONTLINE_SHOTS"):
            phone.screenshot(path=f"{shots}/{key}.png", full_page=True)
    assert not found
