"""The NinjaAPI: one instance, each installed app's router mounted where its manifest says."""

from ninja import NinjaAPI
from ninja.security import django_auth

from frontline.core.api import TokenAuth
from frontline.core.api_errors import JsonObjectParser, install
from frontline.core.registry import registry

api = NinjaAPI(
    title="战疫一线 API",
    version="1",
    description=(
        "移动端和系统对接接口。令牌：POST /api/v1/auth/token，"
        "之后带 Authorization: Bearer <token>。"
    ),
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=JsonObjectParser(),
)

install(api)
for prefix, _label, router in registry().api_mounts:
    api.add_router(f"/{prefix}", router)
