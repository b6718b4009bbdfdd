"""The dashboard's 代购/送餐 figure counts what its list page shows."""

import re
from decimal import Decimal

from django.utils import timezone

from frontline.core.registry import registry
from frontline.errands import services
from frontline.errands.tests.factories import errand_make, household_make


def _deliver(world, errand, *, settle: bool = False):
    volunteer = world.volunteer_sandian
    services.errand_claim(actor=volunteer, errand=errand)
    services.errand_bought(actor=volunteer, errand=errand, actual_cost=Decimal("10"))
    services.errand_deliver(actor=volunteer, errand=errand)
    if settle:
        services.errand_confirm(actor=None, errand=errand)
        services.errand_settle(actor=world.cadre_sandian, errand=errand, settlement="paid")


def test_errands_done_counts_delivered_and_settled_and_its_page_lists_them(world, login):
    household = household_make(world.sandian)
    _deliver(world, errand_make(household, text="送达的菜"))
    _deliver(world, errand_make(household, text="结清的菜"), settle=True)
    claimed = errand_make(household, text="路上的菜")
    services.errand_claim(actor=world.volunteer_sandian, errand=claimed)
    cancelled = errand_make(household, text="取消的菜")
    services.errand_cancel(actor=world.cadre_sandian, errand=cancelled, reason="不要了")
    errand_make(household_make(world.zhengyuan, name="郑奶奶"), text="郑园的菜")

    figure = registry().figures["errands_done"]
    today = timezone.localdate()
    assert figure.compute(world.town, today, today) == 2
    assert figure.compute(world.zhengyuan, today, today) == 0
    page = login(world.town_leader).get(figure.url(world.town, today, today)).content.decode()
    assert "共 2 次" in page
    assert len(re.findall(r'class="list-row"', page)) == 2
    assert "送达的菜" in page and "结清的菜" in page and "路上的菜" not in page


def _overdue(household, text: str):
    """A waiting errand whose deliver-by time has passed (the clock moved on)."""
    from datetime import timedelta

    from frontline.errands.models import Errand

    errand = errand_make(household, text=text)
    Errand.objects.filter(pk=errand.pk).update(deliver_by=timezone.now() - timedelta(hours=1))
    return errand


def test_overdue_errands_of_a_village_are_the_rows_its_link_lists(world, login):
    sandian = household_make(world.sandian)
    _overdue(sandian, "三店逾期的菜")
    late_claimed = _overdue(sandian, "三店逾期已认领")
    services.errand_claim(actor=world.volunteer_sandian, errand=late_claimed)
    errand_make(sandian, text="三店还来得及")
    _overdue(household_make(world.zhengyuan, name="郑奶奶"), "郑园逾期的菜")

    figure = registry().figures["errands_overdue"]
    today = timezone.localdate()
    assert figure.compute(world.sandian, today, today) == 2
    assert figure.compute(world.town, today, today) == 3
    url = figure.url(world.sandian, today, today)
    page = login(world.town_leader).get(url).content.decode()
    assert "超时未送达（三店村）" in page
    assert len(re.findall(r'class="list-row"', page)) == 2
    assert "三店逾期的菜" in page and "三店逾期已认领" in page
    assert "郑园逾期的菜" not in page and "三店还来得及" not in page
    # The town's own link lists all three; another village's cadre cannot open 三店村's.
    town_page = login(world.town_leader).get(figure.url(world.town, today, today))
    assert len(re.findall(r'class="list-row"', town_page.content.decode())) == 3
    assert login(world.cadre_zhengyuan).get(url).status_code == 404
