"""API for sign-in and sign-out, the user's own tokens, the current user and the visible tree."""

from datetime import datetime

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from frontline.core import selectors, services
from frontline.core.limits import Choice, SearchText, Text
from frontline.core.models import ApiToken, Node, User
from frontline.core.roles import role_label
from frontline.core.scoping import get_visible_or_404, nodes_visible

router = Router(tags=["账号与辖区"])


# The idle timeout's clock is moved at most once a minute: a busy round (readings, passers
# at a barrier) costs no write per request.


class TokenAuth(HttpBearer):
    """Bearer tokens issued by POST /api/v1/auth/token (only their digest is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        found = selectors.api_token_live(services.token_digest(token), now)
        if found is None:
            return None
        services.api_token_touch(token=found, now=now)
        request.user = found.user
        # Which token this request came with: logout revokes it, the list marks it.
        request.api_token = found
        return found.user


def unprocessable(error: ValidationError) -> HttpError:
    """A service's ValidationError as a 422 whose message names each field in Chinese."""
    if hasattr(error, "error_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            parts.extend(messages if name == "__all__" else [f"{name}：{m}" for m in messages])
        return HttpError(422, "；".join(parts))
    return HttpError(422, "；".join(error.messages))


class TokenIn(Schema):
    username: Text(150)
    password: Text(4096)
    label: str = Field(
        "", max_length=100, description="设备名称，如“张三的手机”；不填取 User-Agent"
    )


class TokenOut(Schema):
    token: str
    expires_in: int = Field(description="最长有效秒数")
    idle_timeout: int = Field(description="闲置多少秒后失效")


class ApiTokenOut(Schema):
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool = Field(description="是否就是这次请求所带的令牌")

    @staticmethod
    def resolve_current(obj: ApiToken, context) -> bool:
        used = getattr(context["request"], "api_token", None)
        return used is not None and used.pk == obj.pk


class RoleOut(Schema):
    role: str
    role_label: str
    node_id: int
    node_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[RoleOut]


class NodeOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Node) -> str:
        return obj.get_kind_display()


@router.post("auth/token", response={200: TokenOut}, auth=None, summary="登录换取令牌")
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    try:
        user = authenticate(request, username=payload.username, password=payload.password)
    except AxesBackendPermissionDenied:
        user = None
        locked = True
    else:
        locked = getattr(request, "axes_locked_out", False)
    if locked:
        raise HttpError(429, "登录失败次数过多，账号已暂时锁定，请稍后再试")
    if user is None:
        raise HttpError(401, "用户名或密码错误")
    label = payload.label or request.headers.get("User-Agent", "")
    return {
        "token": services.api_token_issue(user=user, label=label),
        "expires_in": settings.API_TOKEN_SECONDS,
        "idle_timeout": settings.API_TOKEN_IDLE_SECONDS,
    }


@router.post("auth/logout", response={204: None}, summary="退出：注销这次请求所带的令牌")
def auth_logout(request: HttpRequest):
    token = getattr(request, "api_token", None)
    if token is not None:
        services.api_token_revoke(actor=request.user, token=token)
    else:
        # Signed in with the web session instead: that session ends.
        logout(request)
    return Status(204, None)


@router.get(
    "auth/tokens", response=list[ApiTokenOut], summary="自己的接口令牌（设备），不含令牌本身"
)
@paginate
def api_token_list(request: HttpRequest):
    return selectors.api_tokens_of(request.user)


@router.delete("auth/tokens/{int:token_id}", response={204: None}, summary="注销自己的一个令牌")
def api_token_revoke(request: HttpRequest, token_id: int):
    token = get_visible_or_404(selectors.api_tokens_of(request.user), pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    return Status(204, None)


class PingOut(Schema):
    ok: bool


@router.get("ping", response=PingOut, summary="检查令牌是否有效（不做任何事）")
def ping(request: HttpRequest) -> dict:
    # Mobile clients test a token here; the benchmarks use it as their baseline.
    return {"ok": True}


@router.get("me", response=MeOut, summary="当前用户、角色和所在辖区")
def me(request: HttpRequest) -> dict:
    user = request.user
    roles = [
        {
            "role": a.role,
            "role_label": role_label(a.role),
            "node_id": a.node_id,
            "node_name": a.node.name,
        }
        for a in selectors.user_roles(user).filter(node__is_active=True)
    ]
    return {"id": user.pk, "username": user.username, "full_name": user.full_name, "roles": roles}


@router.get("nodes", response=list[NodeOut], summary="可见的辖区树（按路径排序，分页）")
@paginate
def node_list(request: HttpRequest, kind: Choice = "", q: SearchText = ""):
    qs = nodes_visible(request.user).order_by("path")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("nodes/{int:node_id}", response=NodeOut, summary="一个辖区节点")
def node_detail(request: HttpRequest, node_id: int) -> Node:
    return get_visible_or_404(nodes_visible(request.user), pk=node_id)
