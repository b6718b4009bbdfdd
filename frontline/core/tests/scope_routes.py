"""What the scoping walk must see: every route, the methods it answers and the ids it reads.

Found from the code, not from the targets, so that a new route or a new id fails the walk
until it is registered:
- an API operation (django-ninja) declares its path, query and body parameters; an id-like
  name among them (`*_id`, `node`, `unit`, `tags`…) is read per method;
- a page (a Django view) reads ids from its path, from `request.GET` / `request.POST` by
  name, and from the forms it builds (a model choice, or a field with an id-like name);
  the view's own module's helpers (and its sibling modules' in a views package) are
  followed. Its methods come from `require_http_methods`.
"""

import dis
import inspect
import re
import types
from dataclasses import dataclass, field

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView
from pydantic import BaseModel

# Names that carry the id of something scoped (or not: a target then says why).
ID_NAMES = frozenset(
    {
        "pk",
        "id",
        "ids",
        "node",
        "unit",
        "parent",
        "resident",
        "assignee",
        "leader",
        "user",
        "key_person",
        "isolation",
        "checkpoint",
        "shift",
        "member",
        "template",
        "tag",
        "tags",
        "category",
        "warehouse",
        "to_warehouse",
        "recipient_node",
        "drive",
    }
)


def id_like(name: str) -> bool:
    return name in ID_NAMES or name.endswith(("_id", "_ids", "_pk"))


@dataclass(frozen=True)
class Route:
    name: str
    api: bool
    # Lower-case methods; None when a page does not declare them (require_http_methods).
    methods: tuple[str, ...] | None
    path_ids: frozenset[str]
    # Id-like names read from the query string or the body, by method; a page's are
    # read by any of its methods (the code does not say which), under "*".
    ids: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def takes_ids(self) -> bool:
        return bool(self.path_ids) or any(self.ids.values())


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def url_names() -> list[str]:
    return [name for name, _ in _walk(get_resolver().url_patterns) if name]


def _path_ids(pattern: URLPattern) -> frozenset[str]:
    converters = getattr(pattern.pattern, "converters", None) or {}
    groups = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))
    return frozenset(converters) | frozenset(groups)


def routes() -> dict[str, Route]:
    """Every named route of the project's own code."""
    found = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        view = pattern.callback
        if not isinstance(view, types.FunctionType):
            continue  # ninja's docs and schema (partials): no ids
        path_view = inspect.getclosurevars(view).nonlocals.get("self")
        if isinstance(path_view, PathView):
            found[name] = _api_route(name, pattern, path_view)
        elif view.__module__.startswith("frontline."):
            found[name] = _page_route(name, pattern)
    return found


# -- API operations ---------------------------------------------------------------------


def _model_names(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            names |= _model_names(inner)
        else:
            names.add(info.alias or name)
    return names


def _api_route(name: str, pattern: URLPattern, path_view: PathView) -> Route:
    short = name.rsplit(":", 1)[-1]
    (operation,) = [
        op
        for op in path_view.operations
        if (getattr(op, "url_name", None) or op.view_func.__name__) == short
    ]
    read = set()
    for model in operation.models:
        if model.__ninja_param_source__ != "path":
            read |= _model_names(model)
    extra = (operation.openapi_extra or {}).get("requestBody", {})
    for content in extra.get("content", {}).values():
        read |= set(content.get("schema", {}).get("properties", {}))
    methods = tuple(m.lower() for m in operation.methods)
    ids = frozenset(n for n in read if id_like(n))
    return Route(name, True, methods, _path_ids(pattern), {m: ids for m in methods})


# -- pages ------------------------------------------------------------------------------

_REQUEST_READ = re.compile(
    r"request\.(?:GET|POST)(?:\.(?:get|getlist)\(|\[)\s*[\"'](\w+)[\"']", re.ASCII
)


def _declared_methods(view) -> tuple[str, ...] | None:
    while view is not None:
        listed = inspect.getclosurevars(view).nonlocals.get("request_method_list")
        if listed is not None:
            return tuple(m.lower() for m in listed)
        view = getattr(view, "__wrapped__", None)
    return None


def _globals_used(code: types.CodeType, scope: dict) -> list:
    """The objects a function's code loads as globals, and attributes of global modules
    (`forms.NodeMoveForm`), its nested lambdas and comprehensions included."""
    used, previous = [], None
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and instruction.argval in scope:
            previous = scope[instruction.argval]
            used.append(previous)
            continue
        if instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and isinstance(
            previous, types.ModuleType
        ):
            used.append(getattr(previous, instruction.argval, None))
        previous = None
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            used += _globals_used(const, scope)
    return used


def _form_ids(form_class: type[forms.BaseForm]) -> set[str]:
    return {
        name
        for name, form_field in form_class.base_fields.items()
        if isinstance(form_field, forms.ModelChoiceField) or id_like(name)
    }


def _same_views(helper, view) -> bool:
    """A helper of the view's own module, or of its sibling modules when an app's views
    are a package split by feature (`supplies/views/stock.py` uses `views/common.py`)."""
    here, there = view.__module__, helper.__module__
    package = here.rsplit(".", 1)[0]
    return there == here or (package.endswith(".views") and there.startswith(package + "."))


def _code_ids(function, seen: set) -> set[str]:
    """Id-like names a view function (and its module's helpers) reads from the request."""
    function = inspect.unwrap(function)
    if function in seen:
        return set()
    seen.add(function)
    ids = {n for n in _REQUEST_READ.findall(inspect.getsource(function)) if id_like(n)}
    for thing in _globals_used(function.__code__, function.__globals__):
        if isinstance(thing, type) and issubclass(thing, forms.BaseForm):
            ids |= _form_ids(thing)
        elif isinstance(thing, type) and issubclass(thing, forms.BaseFormSet):
            ids |= _form_ids(thing.form)
        elif isinstance(thing, types.FunctionType) and _same_views(thing, function):
            ids |= _code_ids(thing, seen)
    return ids


def _page_route(name: str, pattern: URLPattern) -> Route:
    view = pattern.callback
    ids = frozenset(_code_ids(view, set()))
    return Route(name, False, _declared_methods(view), _path_ids(pattern), {"*": ids})
