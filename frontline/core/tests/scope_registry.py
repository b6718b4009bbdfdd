"""How an app registers its id-taking routes for the scoping walk (test_scoping_routes).

Each app has `tests/scope_targets.py` defining TARGETS: {url name: ScopeTarget}. A target
gives, for every method the route answers, a `make(world)` that builds an object in 郑园村
and returns the `Call` that reaches it: the ids in the path, the query string and the body
(JSON for /api/, form fields for pages). A plain dict is shorthand for path kwargs only.

With each call the walk proves three things:
- `sandian_all` (every role at 三店村) is refused: 404, or `refused` where a target says
  otherwise (the id is a choice of a form, and another village's is "not one of the choices");
- every user of 郑园村 whose role lacks `permission` is refused alike (`denied`, 404);
- `owner` (default `zhengyuan_all`, every role at 郑园村) succeeds with the same call:
  2xx, or a redirect after a POST that flashed no error.
"""

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Call:
    """One request of the walk: where its ids travel, and what only the owner may see."""

    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict | None = None
    # A list that ignores a filter outside the user's scope answers 200: the walk then
    # proves this text (from the object made in 郑园村) is shown to the owner only.
    secret: str = ""
    # What another village's user gets for this call, where it differs from the target's.
    refused: int | None = None

    def ids(self) -> set[str]:
        return set(self.kwargs) | set(self.query) | set(self.body or {})


Make = Callable[..., "Call | dict"]


def call_of(made: "Call | dict") -> Call:
    return made if isinstance(made, Call) else Call(kwargs=made)


@dataclass(frozen=True)
class ScopeTarget:
    """The calls that reach objects of 郑园村 through one route, one (or more) per method."""

    # The permission a call needs; a mapping by method where they differ.
    permission: str | Mapping[str, str] = ""
    get: Make | tuple[Make, ...] | None = None
    post: Make | tuple[Make, ...] | None = None
    put: Make | tuple[Make, ...] | None = None
    patch: Make | tuple[Make, ...] | None = None
    delete: Make | tuple[Make, ...] | None = None
    owner: str = "zhengyuan_all"
    # What another village's user gets (by method where it differs): 404 unless said.
    refused: int | Mapping[str, int] = 404
    # What a role of 郑园村 without the permission gets: 404, as outside scope.
    denied: int = 404
    # Id-like names the route reads that point at nothing scoped, with the reason.
    unscoped: Mapping[str, str] = field(default_factory=dict)
    # Methods that carry no id (a page's GET showing its empty form), with the reason.
    idless: Mapping[str, str] = field(default_factory=dict)

    def methods(self) -> list[str]:
        return [method for method in METHODS if getattr(self, method) is not None]

    def makes(self, method: str) -> tuple[Make, ...]:
        made = getattr(self, method)
        return made if isinstance(made, tuple) else (made,)

    def permission_for(self, method: str) -> str:
        if isinstance(self.permission, Mapping):
            return self.permission[method]
        return self.permission

    def refused_for(self, method: str) -> int:
        if isinstance(self.refused, Mapping):
            return self.refused.get(method, 404)
        return self.refused


def all_targets() -> dict[str, ScopeTarget]:
    targets: dict[str, ScopeTarget] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("frontline."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.scope_targets")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tests.scope_targets":
                raise
            continue
        overlap = targets.keys() & module.TARGETS.keys()
        assert not overlap, f"url names registered twice: {overlap}"
        targets.update(module.TARGETS)
    return targets
