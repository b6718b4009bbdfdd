"""Every route that takes an id refuses it outside the user's scope (SECURITY 1).

The walk finds the routes and the ids they read itself (scope_routes): a new route, a new
method or a new id in a path, a query string or a body fails here until its app registers
a target in tests/scope_targets.py (scope_registry says how). Then, for every method:
another village's strongest user is refused, every role of the right village without the
permission is refused, and the owner gets through with the very same request.
"""

import io
import json
from urllib.parse import urlencode

import pytest
from django.contrib import messages
from django.core.files import File
from django.urls import reverse

from frontline.core.registry import registry
from frontline.core.roles import roles_with
from frontline.core.tests.scope_registry import Call, all_targets, call_of
from frontline.core.tests.scope_routes import routes, url_names

# Round readings recorded "now" must lie in their slot's window: the clock reads 10:00.
pytestmark = pytest.mark.usefixtures("round_morning")

ATTACKER = "sandian_all"
ROUTES = routes()
TARGETS = all_targets()
TAKING_IDS = sorted(name for name, route in ROUTES.items() if route.takes_ids)


def _cases(lacking_only: bool = False) -> list:
    cases = []
    for name, target in sorted(TARGETS.items()):
        for method in target.methods():
            permission = target.permission_for(method)
            known = permission in registry().permissions
            if lacking_only and not (known and _lacking_roles(permission)):
                continue
            for index in range(len(target.makes(method))):
                cases.append(pytest.param(name, method, index, id=f"{name}-{method}-{index}"))
    return cases


def _lacking_roles(permission: str) -> list[str]:
    return [role for role in registry().roles if role not in roles_with(permission)]


def test_every_route_that_takes_an_id_is_registered():
    missing = [name for name in TAKING_IDS if name not in TARGETS]
    assert not missing, f"register these in <app>/tests/scope_targets.py: {missing}"


def test_no_registered_target_is_stale():
    assert set(TARGETS) <= set(TAKING_IDS)


def test_route_names_are_unique():
    names = url_names()
    assert len(names) == len(set(names))


def test_every_page_that_takes_an_id_declares_its_methods():
    undeclared = [name for name in TAKING_IDS if ROUTES[name].methods is None]
    assert not undeclared, f"decorate with require_http_methods / require_GET: {undeclared}"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_method_of_a_route_is_walked(name):
    target, route = TARGETS[name], ROUTES[name]
    reads = set().union(*route.ids.values())
    if not route.path_ids and reads <= set(target.unscoped):
        assert not target.methods(), f"{name}: only unscoped ids, nothing to walk"
        return
    walked = [*target.methods(), *target.idless]
    assert sorted(walked) == sorted(route.methods or ()), (
        f"{name} answers {route.methods}; the target walks {target.methods()}"
        f" and says {list(target.idless)} carry no id"
    )
    for method in target.methods():
        permission = target.permission_for(method)
        assert permission in registry().permissions, f"{name} {method}: permission?"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_id_a_route_reads_is_carried(name, world):
    target, route = TARGETS[name], ROUTES[name]
    unscoped = set(target.unscoped)
    carried: dict[str, set[str]] = {}
    for method in target.methods():
        for make in target.makes(method):
            call = call_of(make(world))
            assert set(call.kwargs) == route.path_ids, f"{name} {method}: path {call.kwargs}"
            carried.setdefault(method, set()).update(call.ids())
    if route.api:
        for method, ids in route.ids.items():
            missing = ids - carried.get(method, set()) - unscoped
            assert not missing, f"{name} {method} reads {sorted(missing)}: carry them"
    else:
        missing = route.ids["*"] - set().union(set(), *carried.values()) - unscoped
        assert not missing, f"{name} reads {sorted(missing)}: carry them in a call"


def _send(client, name: str, method: str, call: Call):
    url = reverse(name, kwargs=call.kwargs)
    if call.query:
        url += "?" + urlencode(call.query, doseq=True)
    if method == "get":
        return client.get(url)
    files = [v for v in (call.body or {}).values() if isinstance(v, File)]
    for file in files:  # the same call goes to the attacker, then to the owner
        file.seek(0)
    if ROUTES[name].api and not files:
        body = "" if call.body is None else json.dumps(call.body)
        return getattr(client, method)(url, body, content_type="application/json")
    return getattr(client, method)(url, call.body or {})


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = book.get_sheet_by_index(0).to_python()
        return "\n".join("\t".join(str(cell) for cell in row) for row in rows)
    return content.decode(errors="replace")


def _assert_refused(response, expected: int, call: Call, who: str):
    assert response.status_code == expected, f"{who}: {response.status_code}, not {expected}"
    if call.secret:
        assert call.secret not in _text(response), f"{who} was shown {call.secret!r}"


def _assert_served(response, method: str, call: Call, who: str):
    status = response.status_code
    flashed = [m for m in messages.get_messages(response.wsgi_request) if m.level >= 40]
    ok = 200 <= status < 300 or (method != "get" and 300 <= status < 400 and not flashed)
    assert ok, f"the owner {who} got {status} {flashed}: the walk proves nothing"
    if call.secret:
        assert call.secret in _text(response), f"the owner {who} was not shown {call.secret!r}"


@pytest.mark.parametrize(("name", "method", "index"), _cases())
def test_another_village_is_refused_what_the_owner_gets(name, method, index, world, client):
    target = TARGETS[name]
    call = call_of(target.makes(method)[index](world))
    client.force_login(world.users[ATTACKER])
    refused = call.refused or target.refused_for(method)
    _assert_refused(_send(client, name, method, call), refused, call, ATTACKER)
    client.force_login(world.users[target.owner])
    _assert_served(_send(client, name, method, call), method, call, target.owner)


@pytest.mark.parametrize(("name", "method", "index"), _cases(lacking_only=True))
def test_a_role_without_the_permission_is_refused(name, method, index, world, client):
    target = TARGETS[name]
    call = call_of(target.makes(method)[index](world))
    for role in _lacking_roles(target.permission_for(method)):
        client.force_login(world.holder(role, "zhengyuan"))
        _assert_refused(_send(client, name, method, call), target.denied, call, role)
    client.force_login(world.users[target.owner])
    _assert_served(_send(client, name, method, call), method, call, target.owner)
