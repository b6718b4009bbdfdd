"""Apps plug themselves in: what each declares in its `manifest.py`, and core's collection.

Each app under `frontline.` has a module `<app>/manifest.py` with one `MANIFEST`:

    MANIFEST = AppManifest(
        label="errands",
        permissions=[Permission("errands.claim", "认领代购", {Role.VOLUNTEER})],
        audit_actions={"errands.request.claim": "认领代购"},
        navigation=[NavEntry("跑腿", "errands:list", "errands.view", order=45)],
        home_cards=[HomeCard("errands.open", "帮您跑腿", "待认领的代购、送餐",
                             "errands:list", roles={Role.VOLUNTEER: 20}, count=open_count)],
        urls="frontline.errands.urls", url_prefix="errands/",
        api_router="frontline.errands.api:router",
        figures=[Figure("errands_done", "代购/送餐", "次", errands_done)],
    )

`collect()` (run by CoreConfig.ready, so at start-up, never at a first request) reads
every manifest and refuses duplicates and unknown names with a message naming the app.
Adding an app means listing it in INSTALLED_APPS; no shared file names it.
"""

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Permission:
    """One thing a user may do, and the roles that may do it (anywhere in their subtree)."""

    code: str
    label: str
    roles: Iterable[str]


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation, shown to users who hold its permission somewhere."""

    label: str
    url_name: str
    permission: str
    # Position in the bar: core's entries use 10, 20 … 90; an app slots in between.
    order: int = 50


@dataclass(frozen=True)
class HomeCard:
    """A card of a role's home page: the work it names, and how much of it waits.

    `key` is stable and unique. A card whose page is not built yet has no `url_name` and
    is shown as 建设中; the app that builds it declares a card with the same key, which
    takes its place.
    """

    key: str
    title: str
    detail: str
    url_name: str | None = None
    # Role code → position on that role's home page (smaller first).
    roles: Mapping[str, int] = field(default_factory=dict)
    # function(user) -> int shown as the card's number (open alerts …).
    count: Callable[[Any], int] | None = None
    # Red when the number is above zero: something waits for this user.
    urgent: bool = False
    # Who may open the card's page; the card is hidden from the others.
    permission: str | None = None

    @property
    def placeholder(self) -> bool:
        return self.url_name is None


@dataclass(frozen=True)
class Figure:
    """One figure of the command dashboard and the battle report.

    `compute(node, start, end)` answers for the node's whole subtree over the days
    `start`…`end` (inclusive); a figure that is a state (isolated now) answers for `end`.
    Money and tonnes are Decimal, everything else an int. `url(node, start, end)` is the
    list page holding exactly the rows counted, or None.
    """

    key: str
    label: str
    unit: str
    compute: Callable[[Any, date, date], int | Decimal]
    url: Callable[[Any, date, date], str | None] | None = None
    # How the figure adds up over days, which decides how the dashboard's daily rollups
    # serve a span: "count" and "sum" add up day by day; "latest" is the value on the
    # span's last day (a state, e.g. isolated now); "distinct" counts things once over
    # the whole span (people, checkpoints) and is computed for the span itself; "now" is
    # what waits to be acted on at this moment (open alerts, low stock), counted live for a
    # span reaching today and absent from one that ended.
    kind: str = "count"
    # The permission a user needs to see this figure (the dashboard checks it per node).
    permission: str = "nodes.view"
    # Above zero, something waits to be acted on now (the dashboard's 需要立即处理).
    attention: bool = False
    # The permission that opens the list `url` leads to, where it is narrower than
    # `permission` (the rows hold what the number does not): without it, an unlinked number.
    url_permission: str = ""


@dataclass(frozen=True)
class Retention:
    """One kind of record that `manage.py retention` anonymises once its time is up
    (SECURITY 29–30): kept `default_days` after its end (`FRONTLINE_RETENTION_<KIND>_DAYS`
    overrides), then its names, plates, places and free text are dropped and the row
    stays, so every count and figure stays as it was.

    `count` and `anonymise` are "module:function" taking the cutoff date (records ended
    before it are due); `anonymise` is a service: one transaction, returns the rows changed.
    """

    kind: str
    label: str
    # What "ended" means for this kind, for the dry run's reader: 登记当天, 隔离结束…
    ends: str
    count: str
    anonymise: str
    # The field names dropped, for the audit row (never values).
    fields: tuple[str, ...]
    default_days: int = 30


@dataclass(frozen=True)
class AppManifest:
    """Everything core needs to plug an app in: permissions, pages, API, audit, figures."""

    label: str
    # Roles an app adds to the core ones (code → Chinese label).
    roles: Mapping[str, str] = field(default_factory=dict)
    permissions: Iterable[Permission] = ()
    # Audit action names `<app>.<entity>.<verb>` → what a reader of the log sees.
    audit_actions: Mapping[str, str] = field(default_factory=dict)
    navigation: Iterable[NavEntry] = ()
    home_cards: Iterable[HomeCard] = ()
    # Dotted path of the app's URL module, mounted at `url_prefix` (namespace = its app_name).
    urls: str | None = None
    url_prefix: str = ""
    # "module:attribute" of the app's ninja Router, mounted under /api/`api_prefix`.
    api_router: str | None = None
    api_prefix: str = "v1/"
    figures: Iterable[Figure] = ()
    # "module:Class" of the app's spreadsheet importers (core/staged_import); each key
    # `<app>.<entity>` brings its two audit actions, `.import` and `.errors_export`.
    importers: Iterable[str] = ()
    # Demo logins the app's demo.py creates: (username, full name, role code, where).
    demo_logins: Iterable[tuple[str, str, str, str]] = ()
    # Kinds of record anonymised when their retention is over (manage.py retention).
    retention: Iterable[Retention] = ()


# ---------------------------------------------------------------- collection

PERMISSION_NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
AUDIT_ACTION_NAME = re.compile(r"^([a-z][a-z_]*)\.[a-z][a-z_]*\.[a-z][a-z_]*$")
FIGURE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Registry:
    """What every installed app declared, checked and merged; read through the functions below."""

    manifests: dict[str, AppManifest] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    role_permissions: dict[str, frozenset[str]] = field(default_factory=dict)
    audit_actions: dict[str, str] = field(default_factory=dict)
    navigation: list[NavEntry] = field(default_factory=list)
    home_cards: dict[str, HomeCard] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    retention: dict[str, Retention] = field(default_factory=dict)
    url_mounts: list[tuple[str, str]] = field(default_factory=list)
    api_mounts: list[tuple[str, str, Any]] = field(default_factory=list)


_registry: Registry | None = None


def _refuse(label: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"app {label!r} (manifest.py): {problem}")


def manifests_installed() -> list[AppManifest]:
    """The MANIFEST of every installed frontline app, in INSTALLED_APPS order."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("frontline."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.manifest")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.manifest":
                raise
            raise _refuse(config.label, "every frontline app declares a MANIFEST") from None
        manifest = getattr(module, "MANIFEST", None)
        if not isinstance(manifest, AppManifest):
            raise _refuse(config.label, "MANIFEST must be an AppManifest")
        if manifest.label != config.label:
            raise _refuse(config.label, f"MANIFEST.label is {manifest.label!r}")
        found.append(manifest)
    return found


def build(manifests: Iterable[AppManifest], core_roles: Mapping[str, str]) -> Registry:
    """Merge and check manifests; any duplicate or unknown name raises ImproperlyConfigured."""
    reg = Registry(roles=dict(core_roles))
    holders: dict[str, set[str]] = {}
    manifests = list(manifests)
    for m in manifests:
        if m.label in reg.manifests:
            raise _refuse(m.label, "declared twice")
        reg.manifests[m.label] = m
        for code, label in m.roles.items():
            if code in reg.roles:
                raise _refuse(m.label, f"role {code!r} already exists")
            reg.roles[code] = label
    for m in manifests:
        for perm in m.permissions:
            if not PERMISSION_NAME.match(perm.code):
                raise _refuse(m.label, f"permission {perm.code!r} is not <area>.<verb>")
            if perm.code in reg.permissions:
                raise _refuse(m.label, f"permission {perm.code!r} is declared twice")
            unknown = set(perm.roles) - reg.roles.keys()
            if unknown:
                raise _refuse(m.label, f"permission {perm.code!r} names unknown roles {unknown}")
            reg.permissions[perm.code] = perm.label
            holders[perm.code] = {str(role) for role in perm.roles}
        for action, label in m.audit_actions.items():
            matched = AUDIT_ACTION_NAME.match(action)
            if not matched or matched.group(1) != m.label:
                raise _refuse(m.label, f"audit action {action!r} is not {m.label}.<entity>.<verb>")
            reg.audit_actions[action] = label
        for dotted in m.importers:
            importer = _importer(dotted)
            for verb, what in (("import", "Excel 导入"), ("errors_export", "下载错误清单：")):
                action = f"{importer.key}.{verb}"
                if not AUDIT_ACTION_NAME.match(action) or not action.startswith(f"{m.label}."):
                    raise _refuse(
                        m.label, f"importer key {importer.key!r} is not {m.label}.<entity>"
                    )
                reg.audit_actions[action] = f"{what}{importer.title}"
    reg.role_permissions = {code: frozenset(roles) for code, roles in holders.items()}
    for m in manifests:
        for rule in m.retention:
            if not FIGURE_KEY.match(rule.kind) or rule.kind in reg.retention:
                raise _refuse(m.label, f"retention kind {rule.kind!r} is unnamed or declared twice")
            reg.retention[rule.kind] = rule

    def known_permission(label: str, code: str | None, what: str) -> None:
        if code is not None and code not in reg.permissions:
            raise _refuse(label, f"{what} needs unknown permission {code!r}")

    url_names: set[str] = set()
    url_prefixes: dict[str, str] = {}
    for m in manifests:
        for entry in m.navigation:
            known_permission(m.label, entry.permission, f"navigation entry {entry.label!r}")
            if entry.url_name in url_names:
                raise _refuse(m.label, f"navigation entry {entry.url_name!r} is declared twice")
            url_names.add(entry.url_name)
            reg.navigation.append(entry)
        for card in m.home_cards:
            known_permission(m.label, card.permission, f"home card {card.key!r}")
            unknown = set(card.roles) - reg.roles.keys()
            if unknown:
                raise _refuse(m.label, f"home card {card.key!r} names unknown roles {unknown}")
            held = reg.home_cards.get(card.key)
            if held is not None and not held.placeholder and not card.placeholder:
                raise _refuse(m.label, f"home card {card.key!r} is declared twice")
            # A built card takes the place of the placeholder that announced it.
            if held is None or held.placeholder:
                reg.home_cards[card.key] = card
        for figure in m.figures:
            known_permission(m.label, figure.permission, f"figure {figure.key!r}")
            if figure.url_permission:
                known_permission(m.label, figure.url_permission, f"figure {figure.key!r}'s list")
            if not FIGURE_KEY.match(figure.key):
                raise _refuse(m.label, f"figure key {figure.key!r} is not snake_case")
            if figure.key in reg.figures:
                raise _refuse(m.label, f"figure {figure.key!r} is declared twice")
            reg.figures[figure.key] = figure
        if m.urls:
            if m.url_prefix in url_prefixes:
                raise _refuse(
                    m.label, f"URL prefix {m.url_prefix!r} is taken by {url_prefixes[m.url_prefix]}"
                )
            url_prefixes[m.url_prefix] = m.label
            reg.url_mounts.append((m.url_prefix, m.urls))
        if m.api_router:
            module, _, attribute = m.api_router.partition(":")
            router = getattr(importlib.import_module(module), attribute)
            reg.api_mounts.append((m.api_prefix, m.label, router))
    reg.navigation.sort(key=lambda entry: entry.order)
    # The catch-all prefix ("") is tried last, whatever the order of INSTALLED_APPS.
    reg.url_mounts.sort(key=lambda mount: mount[0] == "")
    _api_segments_unique(reg.api_mounts)
    return reg


def _importer(dotted: str) -> Any:
    module, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _api_segments_unique(mounts: list[tuple[str, str, Any]]) -> None:
    """Two apps must not answer under the same first API path segment (/api/v1/<segment>/…)."""
    owner: dict[tuple[str, str], str] = {}
    for prefix, label, router in mounts:
        version, _, rest = prefix.partition("/")
        segments = {rest.strip("/").split("/")[0]} if rest.strip("/") else set()
        if not segments:
            segments = {path.strip("/").split("/")[0] for path in router.path_operations}
        for segment in segments:
            key = (version, segment)
            if key in owner and owner[key] != label:
                raise _refuse(label, f"API path /api/{version}/{segment} belongs to {owner[key]}")
            owner[key] = label


def collect() -> Registry:
    """Read every installed app's manifest (once, at start-up) and keep the result."""
    global _registry
    from frontline.core.roles import Role

    _registry = build(manifests_installed(), dict(Role.choices))
    return _registry


def registry() -> Registry:
    """The collected registry; collected on first use if Django's start-up has not yet."""
    return _registry if _registry is not None else collect()


def home_cards_for(role_codes: Iterable[str]) -> list[HomeCard]:
    """The cards of a home page for these roles, in the order the roles are held; a card
    shared by two roles (or two cards with one title) appears once."""
    cards = registry().home_cards.values()
    shown: list[HomeCard] = []
    seen: set[str] = set()
    for role in role_codes:
        for card in sorted((c for c in cards if role in c.roles), key=lambda c: c.roles[role]):
            if card.key not in seen and card.title not in seen:
                seen.update((card.key, card.title))
                shown.append(card)
    return shown
