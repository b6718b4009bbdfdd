"""How an app registers its id-taking routes for the scoping walk (test_scoping_routes).

Each app has `tests/scope_targets.py` defining TARGETS: {url name: ScopeTarget}.
`make(world)` creates an object in 郑园村 and returns the URL kwargs; the walk
proves that `sandian_all` (every role at 三店村) gets 404 for it and that
`owner` (default `zhengyuan_all`, every role at 郑园村) does not.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ScopeTarget:
    make: Callable[..., dict]
    methods: tuple[str, ...] = ("get", "post")
    owner: str = "zhengyuan_all"


def all_targets() -> dict[str, ScopeTarget]:
    targets: dict[str, ScopeTarget] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("frontline."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.scope_targets")
        except ModuleNotFoundError:
            continue
        overlap = targets.keys() & module.TARGETS.keys()
        assert not overlap, f"url names registered twice: {overlap}"
        targets.update(module.TARGETS)
    return targets
