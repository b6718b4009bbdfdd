"""The coverage board: every unit, screened or not, on the right Shanghai day."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.core import services as core_services
from frontline.core.models import NodeKind
from frontline.screening.selectors import coverage_day, coverage_week
from frontline.screening.tests.factories import assignment_make, record_make


@pytest.fixture
def frozen(monkeypatch):
    """Set the clock to a UTC instant (Django's localdate reads timezone.now)."""

    def _freeze(instant: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return _freeze


def _screened(root, day) -> set[str]:
    return {row.unit.name for row in coverage_day(root, day).rows if row.screened}


def test_a_visit_at_23_59_shanghai_counts_for_that_day(world, frozen):
    # 15:59 UTC is 23:59 in Shanghai on 10 February.
    frozen(datetime(2020, 2, 10, 15, 59, tzinfo=UTC))
    record_make(world.sandian, world.cadre_sandian)
    assert _screened(world.town, date(2020, 2, 10)) == {"三店村"}
    assert _screened(world.town, date(2020, 2, 11)) == set()


def test_a_visit_at_00_01_shanghai_counts_for_the_next_day(world, frozen):
    # 16:01 UTC on the 10th is already 00:01 on the 11th in Shanghai.
    frozen(datetime(2020, 2, 10, 16, 1, tzinfo=UTC))
    record_make(world.sandian, world.cadre_sandian)
    assert _screened(world.town, date(2020, 2, 10)) == set()
    assert _screened(world.town, date(2020, 2, 11)) == {"三店村"}


def test_the_api_reads_the_day_in_shanghai_too(world, login, frozen):
    frozen(datetime(2020, 2, 10, 16, 1, tzinfo=UTC))
    record_make(world.sandian, world.cadre_sandian)
    body = login(world.town_leader).get(reverse("api:screening_coverage")).json()
    assert body["date"] == "2020-02-11" and body["screened"] == 1


def test_unscreened_units_come_first_with_who_is_responsible(world):
    assignment_make(world.zhengyuan, world.cadre_zhengyuan)
    assignment_make(world.enterprise_grid, world.town_leader)
    record_make(world.sandian, world.cadre_sandian, findings="东门无人值守")
    board = coverage_day(world.town, timezone.localdate())
    names = [row.unit.name for row in board.rows]
    assert names == ["郑园村", "连云港金鹏机械有限公司", "三店村"]
    by_name = {row.unit.name: row for row in board.rows}
    assert by_name["郑园村"].assignees == [world.cadre_zhengyuan]
    # Assigned to the grid: responsible for every enterprise in it.
    assert by_name["连云港金鹏机械有限公司"].assignees == [world.town_leader]
    assert by_name["三店村"].records[0].findings == "东门无人值守"


def test_counts_per_grid(world):
    core_services.node_create(
        actor=None,
        kind=NodeKind.ENTERPRISE,
        name="赣榆华昌食品有限公司",
        parent=world.enterprise_grid,
    )
    record_make(world.enterprise, world.town_leader)
    record_make(world.sandian, world.cadre_sandian)
    groups = {
        g.name: (g.screened, g.total) for g in coverage_day(world.town, timezone.localdate()).groups
    }
    assert groups == {"各村（社区）": (1, 2), "企业第一网格": (1, 2)}


def test_an_inactive_unit_is_not_expected(world):
    core_services.node_set_active(actor=world.admin, node=world.zhengyuan, active=False)
    names = [row.unit.name for row in coverage_day(world.town, timezone.localdate()).rows]
    assert "郑园村" not in names


def test_the_week_is_a_grid_of_days_by_units(world):
    today = timezone.localdate()
    record_make(world.sandian, world.cadre_sandian, day=today)
    record_make(
        world.sandian,
        world.cadre_sandian,
        day=today.replace(day=today.day) - timezone.timedelta(days=2),
    )
    record_make(world.sandian, world.cadre_sandian, day=today - timezone.timedelta(days=7))
    week = coverage_week(world.town, today)
    sandian = next(row for row in week.rows if row.unit.name == "三店村")
    assert sandian.cells == [False, False, False, False, True, False, True]
    assert week.per_day[-1] == 1 and len(week.days) == 7


def test_the_board_page_shows_a_town_leader_every_unit(world, login):
    record_make(world.sandian, world.cadre_sandian)
    page = login(world.town_leader).get(reverse("screening:board")).content.decode()
    assert "1</strong> / 3 已排查" in page and "还差 2 个" in page
    assert page.count("去排查</a>") == 2
    week = login(world.town_leader).get(reverse("screening:week")).content.decode()
    assert "三店村" in week and "连云港金鹏机械有限公司" in week


def test_a_village_cadre_sees_only_the_village(world, login):
    body = login(world.cadre_sandian).get(reverse("api:screening_coverage")).json()
    assert [unit["name"] for unit in body["units"]] == ["三店村"]
    response = login(world.cadre_sandian).get(reverse("screening:board"), {"node": world.town.pk})
    assert response.status_code == 404


def test_a_volunteer_has_no_board(world, login):
    assert login(world.volunteer_sandian).get(reverse("screening:board")).status_code == 404


def _day_nav_links(html: str) -> list[str]:
    nav = re.search(r'<div class="day-nav">(.*?)</div>', html, re.S).group(1)
    return re.findall(r'href="([^"]*)"', nav)


def test_the_unscreened_only_board_stays_so_from_day_to_day(world, login):
    # The 今日未排查单位 figure's link: paging to the day before must not show every unit.
    board = reverse("screening:board")
    page = login(world.town_leader).get(board, {"node": world.town.pk, "missing": "1"})
    links = _day_nav_links(page.content.decode())
    assert len(links) == 2 and all("missing=1" in link for link in links)
    plain = login(world.town_leader).get(board, {"node": world.town.pk}).content.decode()
    assert not any("missing=1" in link for link in _day_nav_links(plain))
