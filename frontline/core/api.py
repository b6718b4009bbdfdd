"""API for sign-in, the current user and the visible tree."""

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from frontline.core import selectors, services
from frontline.core.models import Node, User
from frontline.core.roles import role_label
from frontline.core.scoping import get_visible_or_404, nodes_visible

router = Router(tags=["账号与辖区"])


class TokenAuth(HttpBearer):
    """Bearer tokens issued by POST /api/v1/auth/token (only their digest is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        owner = selectors.api_token_owner(services.token_digest(token))
        if owner is None:
            return None
        request.user = owner
        return owner


def unprocessable(error: ValidationError) -> HttpError:
    """A service's ValidationError as a 422 whose message names each field in Chinese."""
    if hasattr(error, "error_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            parts.extend(messages if name == "__all__" else [f"{name}：{m}" for m in messages])
        return HttpError(422, "；".join(parts))
    return HttpError(422, "；".join(error.messages))


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in: int


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
    return {"token": services.api_token_issue(user=user), "expires_in": settings.API_TOKEN_SECONDS}


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
def node_list(request: HttpRequest, kind: str = "", q: str = ""):
    qs = nodes_visible(request.user).order_by("path")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("nodes/{int:node_id}", response=NodeOut, summary="一个辖区节点")
def node_detail(request: HttpRequest, node_id: int) -> Node:
    return get_visible_or_404(nodes_visible(request.user), pk=node_id)
