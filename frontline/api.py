"""The NinjaAPI: one instance, each app mounting its router under /api/v1/."""

from ninja import NinjaAPI
from ninja.security import django_auth

from frontline.checkpoints.api import router as checkpoints_router
from frontline.control.api import router as control_router
from frontline.core.api import TokenAuth
from frontline.core.api import router as core_router
from frontline.people.api import router as people_router
from frontline.screening.api import router as screening_router

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
)

api.add_router("/v1/", core_router)
api.add_router("/v1/", control_router)
api.add_router("/v1/screening", screening_router)
api.add_router("/v1/checkpoints", checkpoints_router)
api.add_router("/v1/people", people_router)
