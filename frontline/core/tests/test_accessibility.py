"""Every main page of every role passes axe-core's WCAG 2 A and AA rules on a 360 px phone:
the barrier screen is read outdoors, in sunlight, on a cheap phone (issue 15, item 19).

axe-core is vendored under static/vendor/axe-core-<version>/ (its licence beside it) and
served by the live server like any script of ours, so the pages' CSP lets it run.
"""

import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from frontline.checkpoints.models import Checkpoint
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.control.models import Alert, Isolation, KeyPerson, Referral
from frontline.core.models import Node, User
from frontline.core.tests.fixtures import browser_login
from frontline.people.models import Household, Resident
from frontline.screening.models import ScreeningRecord

pytestmark = pytest.mark.browser

AXE = "vendor/axe-core-4.14.1/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa"]

RUN_AXE = """async tags => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "")
            .split("\\n").slice(1).join(" ").trim()),
    }));
}"""


@dataclass(frozen=True)
class Visit:
    username: str
    path: str
    status: int = 200


def _demo_visits() -> list[Visit]:
    """The main pages of each role, on the demo zone's own records."""
    sandian = Node.objects.get(name="三店村")
    resident = Resident.objects.filter(node__path__startswith=sandian.path).order_by("pk").first()
    household = Household.objects.filter(node__path__startswith=sandian.path).first()
    isolation = (
        Isolation.objects.filter(key_person__node__path__startswith=sandian.path)
        .order_by("pk")
        .first()
    )
    key_person = isolation.key_person if isolation else KeyPerson.objects.first()
    checkpoint = Checkpoint.objects.filter(node__path__startswith=sandian.path).first()
    alert = Alert.objects.filter(node__path__startswith=sandian.path).order_by("-is_open").first()
    record = ScreeningRecord.objects.filter(node__path__startswith=sandian.path).last()
    referral = (
        Referral.objects.filter(node__path__startswith=sandian.path, status="pending")
        .order_by("pk")
        .first()
    )
    cadre = User.objects.get(username="cadre_sandian")
    pages = {
        "cadre_sandian": [
            "/",
            "/people/",
            f"/people/{resident.pk}/",
            f"/people/{resident.pk}/edit/",
            "/people/new/",
            f"/people/households/{household.pk}/",
            "/people/import/",
            "/control/",
            f"/control/{key_person.pk}/",
            f"/control/{key_person.pk}/control/",
            f"/control/isolations/{isolation.pk}/six/",
            "/control/new/",
            "/control/import/",
            *([f"/control/referrals/{referral.pk}/"] if referral else []),
            "/screening/",
            "/screening/week/",
            "/screening/new/",
            f"/screening/records/{record.pk}/",
            f"/nodes/{sandian.pk}/",
            "/account/",
            "/account/password/",
        ],
        "health_sandian": [
            "/",
            "/control/rounds/",
            "/control/alerts/",
            f"/control/alerts/{alert.pk}/",
            "/control/overdue/",
        ],
        "police_sandian": [
            "/",
            "/checkpoints/",
            f"/checkpoints/{checkpoint.pk}/",
            f"/checkpoints/{checkpoint.pk}/log/",
            f"/checkpoints/{checkpoint.pk}/passers/",
            "/people/0/",
        ],
        "grid_sandian": ["/", "/screening/", "/screening/new/"],
        "village_leader_sandian": ["/", "/control/gaps/", "/control/services/"],
        "town_leader": [
            "/",
            "/screening/",
            "/checkpoints/summary/",
            "/checkpoints/unmanned/",
            # The lists the command figures link to (issue 20: a figure is its rows).
            "/checkpoints/manned/",
            "/checkpoints/passers/?outcome=turned_back",
            "/screening/screened/",
            "/screening/?missing=1",
            "/control/?set=controlled",
            "/control/readings/?fever=0",
            "/control/",
            "/control/lists/",
            "/audit/",
            "/command/",
            f"/command/?node={sandian.pk}",
            "/command/report/",
            "/command/report/wording/",
            "/command/screen/",
        ],
        "admin": [
            "/",
            "/nodes/",
            f"/nodes/{sandian.parent_id}/below/?kind=village",
            f"/nodes/{sandian.pk}/new/",
            f"/nodes/{sandian.pk}/rename/",
            "/users/",
            f"/users/{cadre.pk}/",
            "/users/new/",
            "/audit/",
            "/nodes/import/",
            "/people/tags/",
            "/checkpoints/new/",
            f"/checkpoints/{checkpoint.pk}/edit/",
            "/checkpoints/templates/",
            "/screening/assignments/",
            "/screening/checklist/",
        ],
        "volunteer_sandian": ["/"],
        "inspector": ["/"],
        "enterprise_demo": ["/"],
        "keeper": ["/"],
    }
    return [
        Visit(user, path, 404 if path == "/people/0/" else 200)
        for user, paths in pages.items()
        for path in paths
    ]


def _sign_in(page, live_server, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def axe_violations(page, live_server) -> list[dict]:
    page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}{AXE}")
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['help']})")
            lines.extend(f"    {node}" for node in violation["nodes"][:12])
    return "\n".join(lines)


# What the migrations seed and the demo builds on; the flush after an earlier transactional
# test on the same worker empties these tables too. Each seed is idempotent (get_or_create).
SEEDS = (
    "frontline.people.migrations.0002_seed_tags",
    "frontline.control.migrations.0002_seed_categories_and_services",
)


def _demo_load() -> None:
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_main_page_of_every_role_passes_wcag_2_aa(live_server, transactional_db, phone):
    _demo_load()
    found: dict[str, list[dict]] = {}
    phone.goto(f"{live_server.url}/login/")
    if violations := axe_violations(phone, live_server):
        found["(anonymous) /login/"] = violations
    signed_in = None
    for visit in _demo_visits():
        if visit.username != signed_in:
            _sign_in(phone, live_server, visit.username)
            signed_in = visit.username
        response = phone.goto(f"{live_server.url}{visit.path}")
        assert response.status == visit.status, f"{visit}: {response.status}"
        if violations := axe_violations(phone, live_server):
            found[f"{visit.username} {visit.path}"] = violations
    assert not found, "\n" + _report(found)


def test_the_barrier_screen_passes_in_every_state_of_a_shift(live_server, live_world, phone):
    checkpoint = checkpoint_make(live_world.sandian, "三店村东村口")
    browser_login(phone, live_server, "police_sandian")
    phone.goto(f"{live_server.url}/checkpoints/{checkpoint.pk}/log/")
    found: dict[str, list[dict]] = {}

    def check(state: str) -> None:
        if violations := axe_violations(phone, live_server):
            found[state] = violations

    check("before check-in")
    phone.get_by_role("button", name="签到上岗").click()
    phone.get_by_text("已在三店村东村口签到").wait_for()
    check("checked in")
    temperature = phone.get_by_label("体温（°C）")
    for typed, button, shown, state in (
        ("36.6", "放行", ".logged-flash.outcome-pass", "let through"),
        ("36.8", "劝返", ".logged-flash.outcome-turned_back", "turned back"),
        ("38.6", "转重点人员", ".logged-flash.outcome-handed_over", "handed over"),
        ("51", "放行", ".invalid-feedback", "refused temperature"),
    ):
        temperature.fill("")
        temperature.type(typed)
        if state == "handed over":
            phone.locator(".passer-form.is-fever").wait_for()
            check("a fever typed")
            phone.get_by_label("姓名").fill("王某")
        phone.get_by_role("button", name=button).click()
        phone.locator(shown).first.wait_for()
        check(state)
    assert not found, "\n" + _report(found)
