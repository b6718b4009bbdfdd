"""Apps plug in through their manifests; core refuses a clash at start-up, naming the app."""

import sys
import types
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from ninja import Router

from frontline.core.audit import audit_record
from frontline.core.models import AuditEvent
from frontline.core.registry import (
    AppManifest,
    HomeCard,
    NavEntry,
    Permission,
    build,
    home_cards_for,
    registry,
)
from frontline.core.roles import Role, role_label, roles_with

CORE_ROLES = dict(Role.choices)


def _build(*manifests):
    return build(manifests, CORE_ROLES)


def test_every_installed_app_is_collected_with_its_permissions():
    installed = {c.label for c in apps.get_app_configs() if c.name.startswith("frontline.")}
    assert set(registry().manifests) == installed
    assert {"core", "people", "control", "screening", "checkpoints"} <= installed
    assert roles_with("control.reading") == {Role.HEALTH_WORKER}


def test_a_permission_declared_twice_is_refused_naming_the_app():
    first = AppManifest("alpha", permissions=[Permission("alpha.view", "看", {Role.CADRE})])
    second = AppManifest("beta", permissions=[Permission("alpha.view", "看", {Role.CADRE})])
    with pytest.raises(ImproperlyConfigured, match=r"'beta'.*alpha.view.*twice"):
        _build(first, second)


def test_a_permission_for_an_unknown_role_is_refused():
    manifest = AppManifest("alpha", permissions=[Permission("alpha.view", "看", {"wizard"})])
    with pytest.raises(ImproperlyConfigured, match="unknown roles"):
        _build(manifest)


def test_an_app_may_add_a_role_and_grant_it():
    manifest = AppManifest(
        "gates",
        roles={"gate_guard": "门岗"},
        permissions=[Permission("gates.scan", "扫码", {"gate_guard"})],
    )
    built = _build(manifest)
    assert built.roles["gate_guard"] == "门岗"
    assert built.role_permissions["gates.scan"] == {"gate_guard"}


def test_a_navigation_entry_needing_an_unknown_permission_is_refused():
    manifest = AppManifest("alpha", navigation=[NavEntry("甲", "alpha:list", "alpha.nothing")])
    with pytest.raises(ImproperlyConfigured, match=r"unknown permission 'alpha\.nothing'"):
        _build(manifest)


@pytest.mark.parametrize("action", ["alpha.create", "beta.thing.create", "alpha.Thing.create"])
def test_an_audit_action_outside_the_grammar_is_refused(action):
    with pytest.raises(ImproperlyConfigured, match="audit action"):
        _build(AppManifest("alpha", audit_actions={action: "甲"}))


def test_a_built_card_takes_the_place_of_its_placeholder_but_two_built_cards_clash():
    placeholder = HomeCard("errands.open", "帮您跑腿", "建设中", roles={Role.VOLUNTEER: 20})
    built = HomeCard("errands.open", "帮您跑腿", "待认领", "errands:list", {Role.VOLUNTEER: 5})
    merged = _build(
        AppManifest("core", home_cards=[placeholder]), AppManifest("errands", home_cards=[built])
    )
    assert merged.home_cards["errands.open"] is built
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        _build(AppManifest("a", home_cards=[built]), AppManifest("b", home_cards=[built]))


def test_two_apps_answering_under_one_api_segment_are_refused():
    first, second = Router(), Router()
    first.add_api_operation("teams", ["GET"], lambda request: None)
    second.add_api_operation("teams/{int:pk}", ["GET"], lambda request, pk: None)
    module = types.ModuleType("frontline_test_routers")
    module.first, module.second = first, second
    sys.modules[module.__name__] = module
    try:
        with pytest.raises(ImproperlyConfigured, match="/api/v1/teams belongs to alpha"):
            _build(
                AppManifest("alpha", api_router="frontline_test_routers:first"),
                AppManifest("beta", api_router="frontline_test_routers:second"),
            )
    finally:
        del sys.modules[module.__name__]


def test_an_undeclared_audit_action_raises(world):
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        audit_record(actor=world.admin, action="core.node.vanish", obj=world.sandian)
    assert not AuditEvent.objects.filter(action="core.node.vanish").exists()


def test_every_page_the_registry_names_exists():
    reg = registry()
    for entry in reg.navigation:
        reverse(entry.url_name)
    for card in reg.home_cards.values():
        if card.url_name:
            reverse(card.url_name)


def test_a_user_with_two_roles_sees_a_shared_card_once():
    cards = home_cards_for([Role.CADRE, Role.HEALTH_WORKER])
    keys = [card.key for card in cards]
    assert keys.count("control.alerts") == 1
    assert keys.index("people.roster") < keys.index("control.rounds")


def test_an_unknown_role_code_shows_as_itself():
    assert role_label(Role.POLICE) == "片警"
    assert role_label("retired_role") == "retired_role"


def test_the_audit_page_names_actions_in_chinese(world, login):
    page = login(world.admin).get(reverse("core:audit_list")).content.decode()
    assert "新建辖区节点" in page


def test_every_figure_answers_a_number_for_the_town(world):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for figure in registry().figures.values():
        value = figure.compute(world.town, today - timedelta(days=6), today)
        # Money and tonnes are Decimal (registry.Figure), everything else an int.
        expected = Decimal if figure.unit in ("元", "吨") else int
        assert isinstance(value, expected) and value >= 0, figure.key
    assert registry().figures["villages"].compute(world.town, today, today) == 2
    assert registry().figures["enterprise_grids"].compute(world.town, today, today) == 1
