"""One way for the API to refuse: every error is JSON of one shape, in Chinese.

    {"detail": "体温：须在 34 到 43 ℃ 之间；人数：不能大于 99",
     "errors": [{"field": "temperature", "message": "须在 34 到 43 ℃ 之间"}, …]}

`install(api)` maps a service's ValidationError (422; an idempotency key reused with
another body 409), PermissionDenied (403), not found
(404), a body or query the schema refuses (422, pydantic's English put into Chinese),
HttpError and an upload refused by its limits; `ApiJsonMiddleware` turns what never
reached ninja (an unknown path, a CSRF refusal, an oversized body, a login lockout, a
crash) into the same shape. Endpoints raise; none formats an error itself.
"""

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, wraps
from typing import get_args, get_type_hints

from django.apps import apps
from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.parser import Parser
from pydantic import BaseModel

from frontline.core.idempotency import IdempotencyConflict
from frontline.core.spreadsheets import UploadRejected

logger = logging.getLogger(__name__)

NOT_FOUND = "未找到"
FORBIDDEN = "不在您的管辖范围内，或没有这项权限"
STATUS_MESSAGES = {
    400: "请求内容无法识别，请发送有效的 JSON",
    401: "请先登录或提供有效的令牌",
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: "不支持这种请求方法",
    413: "上传的内容太大",
    429: "登录失败次数过多，账号已暂时锁定，请稍后再试",
    500: "服务器出错了，请稍后再试；问题已记录",
}


# What ninja itself says, in English, and what a user is told instead.
NINJA_MESSAGES = {
    "CSRF check Failed": "页面已过期（缺少 CSRF 令牌），请刷新后重试",
    "Cannot parse request body": STATUS_MESSAGES[400],
}


def _chinese_text(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _chinese(message: str, status: int) -> str:
    if _chinese_text(message):
        return message
    return NINJA_MESSAGES.get(message) or STATUS_MESSAGES.get(status, STATUS_MESSAGES[400])


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's json takes them


def json_object(body: bytes) -> dict:
    """A request body as the one JSON object every endpoint takes; anything else (not
    JSON, a list, a bare value, NaN) is refused with the Chinese 400, never the
    parser's own words."""
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise HttpError(400, STATUS_MESSAGES[400])
    return data


class JsonObjectParser(Parser):
    """The API's body parser: one JSON object, as `json_object` reads it (ninja's own
    takes a list, a bare value or NaN and lets the schema make what it can of them)."""

    def parse_body(self, request: HttpRequest) -> dict:
        return json_object(request.body)


def error_body(detail: str, errors: Iterable[dict] = ()) -> dict:
    return {"detail": detail, "errors": list(errors)}


def _labels_of(models: Iterable[type[Model]], *, related: bool = False) -> dict[str, str]:
    """Each field name of these models → its Chinese label, the most common where they
    differ; with `related`, a foreign key without a label of its own is named after the
    model it points to (TeamMember.team → 队伍)."""
    seen: dict[str, Counter] = {}
    for model in models:
        for field in model._meta.get_fields():
            label = str(getattr(field, "verbose_name", "") or "")
            if label == field.name.replace("_", " "):  # Django's default: no label given
                target = field.related_model if field.many_to_one and related else None
                label = str(target._meta.verbose_name) if target is not None else ""
                label = label if _chinese_text(label) else ""
            if label and label != field.name.replace("_", " "):
                seen.setdefault(field.name, Counter())[label] += 1
    return {name: labels.most_common(1)[0][0] for name, labels in seen.items()}


@lru_cache(maxsize=1)
def _field_labels() -> dict[str, str]:
    """Each model field name → its label across all models: the last resort."""
    return _labels_of(apps.get_models())


def _schemas_in(annotation, seen: set | None = None) -> Iterator[type[BaseModel]]:
    """The pydantic schemas an endpoint parameter's annotation holds (`ClaimIn | None`,
    `list[LineIO]`, `Annotated[…]`), nested ones included."""
    seen = set() if seen is None else seen
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _schemas_in(field.annotation, seen)
    for argument in get_args(annotation):
        yield from _schemas_in(argument, seen)


@lru_cache(maxsize=512)
def route_labels(view: Callable) -> dict[str, str]:
    """The labels an endpoint's errors are named by, from its own context: the titles its
    schemas give their fields (`team_id` titled 代购车 also names `team`), then the
    models of the app the endpoint belongs to."""
    app = apps.get_containing_app_config(view.__module__)
    labels = _labels_of(app.get_models(), related=True) if app is not None else {}
    try:
        hints = get_type_hints(view, include_extras=True)
    except (NameError, TypeError):
        hints = {}
    for annotation in hints.values():
        for schema in _schemas_in(annotation):
            for name, field in schema.model_fields.items():
                if field.title:
                    labels[name] = field.title
                    if name.endswith("_id"):
                        labels[name.removesuffix("_id")] = field.title
    return labels


def field_label(name: str, route: dict[str, str] | None = None) -> str:
    """A field's label: the endpoint's own (`route_labels`), else any model's."""
    if route and name in route:
        return route[name]
    return _field_labels().get(name, name)


def joined(errors: list[dict], route: dict[str, str] | None = None) -> str:
    """The errors as one Chinese sentence: each message after its field's label, unless
    the message already names it."""
    parts = []
    for error in errors:
        field, message = error["field"], error["message"]
        label = field_label(field.rsplit(".", 1)[-1], route) if field else ""
        parts.append(message if not label or label in message else f"{label}：{message}")
    return "；".join(parts)


def validation_errors(error: ValidationError) -> list[dict]:
    """A Django ValidationError as [{field, message}] (field "" for the whole request)."""
    if hasattr(error, "error_dict"):
        return [
            {"field": "" if name == "__all__" else name, "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in error.messages]


def _schema_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    fixed = {
        "missing": "必填",
        "int_parsing": "须为整数",
        "int_type": "须为整数",
        "int_from_float": "须为整数",
        "float_parsing": "须为数字",
        "float_type": "须为数字",
        "decimal_parsing": "须为数字",
        "decimal_type": "须为数字",
        "string_type": "须为文字",
        "bool_parsing": "须为是或否（true/false）",
        "bool_type": "须为是或否（true/false）",
        "date_parsing": "日期格式不对，如 2020-02-10",
        "date_from_datetime_parsing": "日期格式不对，如 2020-02-10",
        "date_type": "日期格式不对，如 2020-02-10",
        "datetime_parsing": "时间格式不对，如 2020-02-10T08:30:00+08:00",
        "datetime_from_date_parsing": "时间格式不对，如 2020-02-10T08:30:00+08:00",
        "datetime_type": "时间格式不对，如 2020-02-10T08:30:00+08:00",
        "json_invalid": "请求体不是有效的 JSON",
        "list_type": "须为列表",
        "dict_type": "须为对象",
        "model_type": "须为对象",
        "model_attributes_type": "须为对象",
        "extra_forbidden": "不认识这个字段",
    }
    if kind in fixed:
        return fixed[kind]
    bounded = {
        "string_too_long": "不能超过 {max_length} 个字",
        "string_too_short": "至少 {min_length} 个字",
        "too_long": "最多 {max_length} 项",
        "too_short": "至少 {min_length} 项",
        "greater_than_equal": "不能小于 {ge}",
        "greater_than": "须大于 {gt}",
        "less_than_equal": "不能大于 {le}",
        "less_than": "须小于 {lt}",
        "decimal_max_digits": "位数太多（最多 {max_digits} 位）",
        "decimal_max_places": "小数最多 {decimal_places} 位",
        "enum": "只能是 {expected}",
        "literal_error": "只能是 {expected}",
    }
    if kind in bounded:
        try:
            return bounded[kind].format(**ctx)
        except (KeyError, IndexError):
            pass
    if kind in ("value_error", "assertion_error"):
        # Our validators raise ValueError with a Chinese message; pydantic prefixes it.
        return (
            str(error.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    return "格式不对"


# The branch of a union pydantic names in an error's place ("constrained-str", "float",
# "function-after[…]"): not a field, so left out of the field's name.
_BRANCH_TAGS = {"str", "int", "float", "bool", "none", "decimal"}


def _is_branch(part: str) -> bool:
    return "-" in part or "[" in part or part in _BRANCH_TAGS


def schema_errors(errors: Iterable[dict]) -> list[dict]:
    """Pydantic's errors of a body, query or path as [{field, message}] in Chinese; a
    value refused by every branch of a union (text or number) is named once, by the
    first branch's message."""
    out, named = [], set()
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "temperature") → "temperature"; ("query", "limit") → "limit".
        if loc and loc[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
            loc = loc[1:]
            if len(loc) > 1 and error.get("loc", ("",))[0] == "body":
                loc = loc[1:]
        field = ".".join(part for part in loc if not _is_branch(part))
        if field in named and any(_is_branch(part) for part in loc):
            continue
        named.add(field)
        out.append({"field": field, "message": _schema_message(error)})
    return out


def _reply(api: NinjaAPI, request: HttpRequest, status: int, errors: list[dict], detail=None):
    if detail is None:
        view = getattr(request, "api_view", None)
        detail = joined(errors, route_labels(view) if view is not None else None)
    return api.create_response(request, error_body(detail, errors), status=status)


def _remember_endpoint(run: Callable) -> Callable:
    """Wrap each endpoint's run (ninja's "view" decorators wrap the bound Operation.run):
    the request then knows which endpoint it reached, so an error there names its fields
    as that endpoint does."""
    view = getattr(getattr(run, "__self__", None), "view_func", None)

    @wraps(run)
    def run_remembering(request: HttpRequest, *args, **kwargs):
        request.api_view = view
        return run(request, *args, **kwargs)

    return run_remembering


def install(api: NinjaAPI) -> None:
    """Register the one set of exception handlers on the API."""
    api.add_decorator(_remember_endpoint, mode="view")

    def handler(exception: type[Exception]) -> Callable:
        return api.exception_handler(exception)

    @handler(ValidationError)
    def _invalid(request, exc):
        return _reply(api, request, 422, validation_errors(exc))

    @handler(IdempotencyConflict)
    def _conflict(request, exc):
        # A key reused with another body: the phone must tell a retry from a mistake.
        return _reply(api, request, 409, validation_errors(exc))

    @handler(SchemaError)
    def _schema(request, exc):
        return _reply(api, request, 422, schema_errors(exc.errors))

    @handler(PermissionDenied)
    def _forbidden(request, exc):
        message = str(exc) or FORBIDDEN
        return _reply(api, request, 403, [], message)

    @handler(Http404)
    def _missing(request, exc):
        return _reply(api, request, 404, [], NOT_FOUND)

    @handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return _reply(api, request, 401, [], STATUS_MESSAGES[401])

    @handler(HttpError)
    def _http(request, exc):
        return _reply(api, request, exc.status_code, [], _chinese(str(exc), exc.status_code))

    @handler(RequestDataTooBig)
    def _too_big(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _reply(api, request, 413, [], f"请求内容太大（上限 {limit} MB）")

    @handler(SuspiciousOperation)
    def _suspicious(request, exc):
        return _reply(api, request, 400, [], STATUS_MESSAGES[400])

    @handler(UploadRejected)
    def _upload(request, exc):
        return _reply(api, request, exc.status, [{"field": "file", "message": str(exc)}], str(exc))

    @handler(Exception)
    def _crash(request, exc):
        logger.exception("API request failed: %s %s", request.method, request.path)
        return _reply(api, request, 500, [], STATUS_MESSAGES[500])


class ApiJsonMiddleware:
    """Under /api/, an error answered before or outside ninja (no such path, CSRF, a body
    over the size limit, a lockout) is turned into the same JSON shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            detail = STATUS_MESSAGES.get(status, STATUS_MESSAGES[500 if status >= 500 else 400])
            return JsonResponse(error_body(detail), status=status)
        return response
