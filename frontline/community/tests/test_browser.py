"""The community and supervision pages pass axe-core's WCAG 2 AA rules on a 360 px phone."""

import pytest
from django.utils import timezone

from frontline.community import services
from frontline.core.tests.fixtures import browser_login
from frontline.core.tests.test_accessibility import axe_violations
from frontline.people.tests.factories import resident_make
from frontline.supervision.tests.factories import group_make

pytestmark = pytest.mark.browser

PAGES = {
    "cadre_sandian": [
        "/community/",
        "/community/publicity/",
        "/community/publicity/new/",
        "/community/family-events/",
        "/community/family-events/new/",
        "/community/care-visits/",
        "/community/care-visits/new/",
        "/community/care-volunteers/",
        "/community/family-help/",
        "/community/exemplars/",
        "/community/exemplars/new/",
        "/supervision/findings/",
        "/supervision/honours/",
        "/supervision/duty/",
        "/supervision/duty/new/",
    ],
    "inspector": [
        "/supervision/",
        "/supervision/groups/",
        "/supervision/rankings/?period=month",
        "/supervision/cadre-records/",
        "/supervision/cadre-records/new/",
        "/supervision/rubrics/",
        "/supervision/rubrics/new/",
    ],
    "town_leader": [
        "/supervision/groups/new/",
        "/supervision/rankings/weights/",
        "/supervision/findings/flagged/",
    ],
}


def test_community_and_supervision_pages_pass_wcag_2_aa(live_server, live_world, phone):
    today = timezone.localdate()
    grandma = resident_make(live_world.sandian_grid, name="孙奶奶")
    cadre = live_world.cadre_sandian
    services.publicity_record(actor=cadre, node=live_world.sandian, day=today, leaflets=200)
    services.family_event_record(
        actor=cadre, resident=grandma, kind="funeral_simplified", planned_on=today
    )
    visit = services.care_visit_record(
        actor=cadre, resident=grandma, day=today, visitor_name="孙志强", needs="缺药"
    )
    group = group_make(live_world.town, [live_world.inspector], [live_world.sandian])
    pages = {
        **PAGES,
        "cadre_sandian": [
            *PAGES["cadre_sandian"],
            f"/community/care-visits/{visit.pk}/errand/",
            f"/community/care-visits/{visit.pk}/five-services/",
        ],
        "town_leader": [*PAGES["town_leader"], f"/supervision/groups/{group.pk}/"],
    }
    services.exemplar_record(
        actor=cadre,
        node=live_world.sandian,
        name="三店巾帼先锋队",
        is_team=True,
        title="巾帼不让须眉",
        story="日夜值守村口。",
        day=today,
    )
    found = {}
    for username, paths in pages.items():
        phone.context.clear_cookies()
        browser_login(phone, live_server, username)
        for path in paths:
            response = phone.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
            if violations := axe_violations(phone, live_server):
                found[path] = [(v["id"], v["nodes"][:3]) for v in violations]
    assert not found, found
