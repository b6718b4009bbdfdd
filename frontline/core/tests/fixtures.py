"""The test world: a district with two towns, 三店村 and 郑园村, and a named user per role.

Every role has a user in 三店村 and one in 郑园村, named `<role>_<village>` with the role's
code shortened by its `_worker` suffix: `health_sandian`, `volunteer_zhengyuan`,
`police_sandian`, `village_leader_zhengyuan`, `admin_sandian`, … The grid workers
(`grid_sandian`, `grid_zhengyuan`) work at their village's first grid. Besides them:
`town_leader`, `admin` (at the district), `inspector` (at the town), `enterprise_contact`
(at the enterprise), `outsider` (a cadre of another town's village), and `sandian_all` /
`zhengyuan_all`, who hold every role at their village — the strongest users a village can
have, used by the scoping walk so that a 404 is about place, never about a missing permission.
"""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from frontline.core import services
from frontline.core.models import Node, NodeKind, RoleAssignment, User
from frontline.core.registry import registry
from frontline.core.roles import Role

PASSWORD = "correct-horse-42"
VILLAGES = ("sandian", "zhengyuan")


def role_user_name(role: str, village: str) -> str:
    """The world's user holding `role` in a village: `health_sandian`, `police_zhengyuan`…"""
    return f"{role.removesuffix('_worker')}_{village}"


@dataclass
class World:
    district: Node
    town: Node
    sandian: Node
    zhengyuan: Node
    sandian_grid: Node
    zhengyuan_grid: Node
    enterprise_grid: Node
    enterprise: Node
    other_town: Node
    other_village: Node
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None

    def holder(self, role: str, village: str) -> User:
        """The world's user holding `role` (only) in `village` ("sandian" or "zhengyuan")."""
        return self.users[role_user_name(role, village)]


def user_make(username: str, *roles: tuple[str, Node]) -> User:
    """A user made through the services, as an administrator makes one (audited)."""
    first_role, first_node = roles[0]
    user = services.user_create(
        actor=None,
        username=username,
        full_name=username,
        password=PASSWORD,
        role=first_role,
        node=first_node,
    )
    for role, node in roles[1:]:
        services.role_assign(actor=None, user=user, role=role, node=node)
    return user


def _users_make(people: dict[str, list[tuple[str, Node]]]) -> dict[str, User]:
    # Every test builds the world: its users are inserted in two statements, without the
    # services' audit rows, and share one (MD5, in tests) password hash.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=name, full_name=name, password=password) for name in people
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, node=node)
        for user in users
        for role, node in people[user.username]
    )
    return {user.username: user for user in users}


def build_world() -> World:
    create = services.node_create
    district = create(actor=None, kind=NodeKind.DISTRICT, name="赣榆区", parent=None)
    town = create(actor=None, kind=NodeKind.TOWN, name="赣榆经济开发区", parent=district)
    sandian = create(actor=None, kind=NodeKind.VILLAGE, name="三店村", parent=town)
    zhengyuan = create(actor=None, kind=NodeKind.VILLAGE, name="郑园村", parent=town)
    sandian_grid = create(actor=None, kind=NodeKind.GRID, name="第一网格", parent=sandian)
    zhengyuan_grid = create(actor=None, kind=NodeKind.GRID, name="第一网格", parent=zhengyuan)
    enterprise_grid = create(actor=None, kind=NodeKind.GRID, name="企业第一网格", parent=town)
    enterprise = create(
        actor=None, kind=NodeKind.ENTERPRISE, name="连云港金鹏机械有限公司", parent=enterprise_grid
    )
    other_town = create(actor=None, kind=NodeKind.TOWN, name="青口镇", parent=district)
    other_village = create(actor=None, kind=NodeKind.VILLAGE, name="青口村", parent=other_town)
    world = World(
        district,
        town,
        sandian,
        zhengyuan,
        sandian_grid,
        zhengyuan_grid,
        enterprise_grid,
        enterprise,
        other_town,
        other_village,
    )
    places = {
        "sandian": (sandian, sandian_grid),
        "zhengyuan": (zhengyuan, zhengyuan_grid),
    }
    # Core's roles and those apps add (a gate guard…): every role is walked.
    all_roles = list(registry().roles)
    people = {
        "admin": [(Role.ADMIN, district)],
        "town_leader": [(Role.LEADER, town)],
        "outsider": [(Role.CADRE, other_village)],
        "enterprise_contact": [(Role.ENTERPRISE_CONTACT, enterprise)],
        "inspector": [(Role.INSPECTOR, town)],
        "sandian_all": [(role, sandian) for role in all_roles],
        "zhengyuan_all": [(role, zhengyuan) for role in all_roles],
    }
    for village, (node, grid) in places.items():
        for role in all_roles:
            place = grid if role == Role.GRID_WORKER else node
            people[role_user_name(role, village)] = [(role, place)]
    world.users.update(_users_make(people))
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def round_morning(monkeypatch) -> None:
    """The clock set to 10:00 today (Asia/Shanghai) and running on: a round reading taken
    'now' lies in the morning window, whatever the hour the suite runs at. A test that
    needs another hour patches timezone.now inside it, as before."""
    real_now = timezone.now
    started = real_now()
    ten = timezone.make_aware(datetime.combine(timezone.localdate(started), time(10)))
    monkeypatch.setattr(timezone, "now", lambda: ten + (real_now() - started))


@pytest.fixture
def login(client):
    """Log the test client in as a user and return the client."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@contextmanager
def audit_log_flushable(connection) -> Iterator[None]:
    """Test teardown only: the flush after a transactional test empties every table, the
    audit log too, which its triggers (core migration 0005) refuse to anyone else."""
    triggers = importlib.import_module(
        "frontline.core.migrations.0005_audit_append_only_everywhere"
    )
    if connection.vendor == "postgresql":
        lift = ["ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate"]
        restore = ["ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate"]
    elif connection.vendor == "sqlite":
        lift, restore = triggers.SQLITE_DROP, triggers.SQLITE_CREATE
    else:
        lift = restore = []
    with connection.cursor() as cursor:
        for statement in lift:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in restore:
                cursor.execute(statement)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_world(transactional_db) -> World:
    """The world, committed, for tests that drive a browser against the live server."""
    return build_world()


@pytest.fixture
def browser(monkeypatch):
    """Headless Debian Chromium driven by Playwright; skipped where Chromium is missing."""
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide page, as on a cheap phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
