"""URLs: sign-in, health, the API, and each installed app's pages at the prefix its manifest
declares (core/registry.py); no app is named here."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from frontline.api import api
from frontline.core import views as core_views
from frontline.core.registry import registry

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
    *(path(prefix, include(module)) for prefix, module in registry().url_mounts),
]
