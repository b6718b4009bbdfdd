"""Every route that takes an id answers 404 to a user of another village (SECURITY 1).

The walk finds the routes itself: a new route with a parameter fails here until
its app registers a target in tests/scope_targets.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from frontline.core.tests.scope_registry import all_targets

ATTACKER = "sandian_all"


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def routes_with_parameters() -> list[str]:
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if getattr(pattern.pattern, "converters", None) or "(?P<" in str(pattern.pattern):
            names.append(name)
    return sorted(names)


def test_every_route_with_a_parameter_is_registered():
    targets = all_targets()
    missing = [name for name in routes_with_parameters() if name not in targets]
    assert not missing, f"register these in <app>/tests/scope_targets.py: {missing}"


def test_no_registered_target_is_stale():
    assert set(all_targets()) <= set(routes_with_parameters())


def test_route_names_are_unique():
    names = [name for name, _ in _walk(get_resolver().url_patterns) if name]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("route", routes_with_parameters())
def test_a_user_of_another_village_gets_404(route, world, client):
    target = all_targets()[route]
    url = reverse(route, kwargs=target.make(world))
    client.force_login(world.users[ATTACKER])
    for method in target.methods:
        response = getattr(client, method)(url)
        assert response.status_code == 404, (
            f"{method.upper()} {route} answered {response.status_code}"
        )


@pytest.mark.parametrize("route", routes_with_parameters())
def test_the_owner_of_the_object_gets_through(route, world, client):
    target = all_targets()[route]
    url = reverse(route, kwargs=target.make(world))
    client.force_login(world.users[target.owner])
    response = getattr(client, target.methods[0])(url)
    assert response.status_code != 404, f"{route} is 404 for its owner too: the walk proves nothing"
