"""Apps meet only through each other's public module, and pages only read and write through
selectors and services (ARCHITECTURE: how an app plugs in; STYLE: HackSoft, Zulip).

Every module of every frontline app is parsed, not imported:
- a module of app X imports of another app Y only `frontline.Y.public`; core is the
  platform every app stands on and imports no app at all;
- a view or API module (views.py, *_views.py, api.py, a views/ or api/ package) calls no
  `.objects` manager and no `.save(`: reads go to selectors, writes to services.
Tests, migrations, demo.py and manifest.py may import anything.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

FRONTLINE = Path(__file__).resolve().parents[2]
PLATFORM = "core"
FREE_MODULES = {"demo", "manifest"}
FREE_FOLDERS = {"tests", "migrations"}


def _apps() -> list[str]:
    return [c.label for c in apps.get_app_configs() if c.name.startswith("frontline.")]


def _modules(app: str):
    """(dotted name, path) of each module of the app that the rules apply to."""
    root = FRONTLINE / app
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if FREE_FOLDERS & set(parts[:-1]) or parts[-1] in FREE_MODULES:
            continue
        yield ".".join(("frontline", app, *parts)).removesuffix(".__init__"), path


def _imported(module: str, tree: ast.AST, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module imports, relative imports resolved;
    `from a.b import c` counts as a.b.c, since c may be a module."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def import_violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """What a module imports of other apps beyond their public module."""
    app = module.split(".")[1]
    known = set(_apps())
    problems = []
    for line, name in _imported(module, ast.parse(source), is_package):
        parts = name.split(".")
        if len(parts) < 3 or parts[0] != "frontline" or parts[1] not in known:
            continue
        other = parts[1]
        if other == app or (other == PLATFORM and app != PLATFORM):
            continue
        if app != PLATFORM and parts[2] == "public":
            continue
        problems.append(f"{module}:{line} imports {'.'.join(parts[:3])}")
    return sorted(set(problems))


def is_page_module(module: str) -> bool:
    parts = module.split(".")
    return (
        parts[-1] in ("views", "api")
        or parts[-1].endswith("_views")
        or bool({"views", "api"} & set(parts[2:-1]))
    )


def page_violations(module: str, source: str) -> list[str]:
    """Managers and saves called from a view or API module."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            problems.append(f"{module}:{node.lineno} reads .objects (use a selector)")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
        ):
            problems.append(f"{module}:{node.lineno} calls .save( (use a service)")
    return problems


def _all_modules():
    for app in _apps():
        yield from _modules(app)


def test_apps_import_each_other_only_through_their_public_module():
    problems = []
    for module, path in _all_modules():
        problems += import_violations(module, path.read_text(), path.name == "__init__.py")
    assert not problems, "\n".join(problems)


def test_views_and_api_modules_neither_query_managers_nor_save():
    problems = []
    for module, path in _all_modules():
        if is_page_module(module):
            problems += page_violations(module, path.read_text())
    assert not problems, "\n".join(problems)


def test_the_walk_sees_every_app_and_its_pages():
    modules = dict(_all_modules())
    assert {"frontline.control.views.key_persons", "frontline.people.views"} <= modules.keys()
    assert {m.split(".")[1] for m in modules} == set(_apps())
    assert "frontline.control.tests.conftest" not in modules
    assert "frontline.screening.demo" not in modules


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("frontline.control.selectors", "from frontline.people.models import Resident"),
        ("frontline.control.selectors", "from frontline.people import services"),
        ("frontline.control.selectors", "import frontline.screening.selectors"),
        ("frontline.screening.services", "def f():\n    from frontline.control.models import R"),
        ("frontline.core.views", "from frontline.control import public"),
    ],
)
def test_it_refuses_an_import_of_another_apps_internals(module, source):
    assert import_violations(module, source)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("frontline.control.selectors", "from frontline.people import public as people"),
        ("frontline.control.selectors", "from frontline.people.public import residents_for"),
        ("frontline.control.services.referrals", "from ..models import Referral"),
        ("frontline.checkpoints.api", "from frontline.core.audit import audit_read"),
    ],
)
def test_it_allows_public_modules_the_platform_and_the_apps_own(module, source):
    assert import_violations(module, source) == []


def test_it_resolves_relative_imports_to_the_app_they_reach():
    source = "from ...people.models import Resident"
    assert import_violations("frontline.control.views.referrals", source)


def test_it_refuses_managers_and_saves_in_pages_but_not_in_selectors():
    source = "def v(request):\n    Tag.objects.all()\n    tag.save()\n"
    assert len(page_violations("frontline.people.views", source)) == 2
    assert is_page_module("frontline.control.views.rounds")
    assert is_page_module("frontline.people.import_views")
    assert is_page_module("frontline.people.api")
    assert not is_page_module("frontline.people.selectors")
    assert not is_page_module("frontline.control.services.readings")
