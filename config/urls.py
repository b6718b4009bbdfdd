from django.contrib.auth import views as auth_views
from django.urls import include, path

from frontline.api import api
from frontline.core import views as core_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
    path("control/", include("frontline.control.urls")),
    path("screening/", include("frontline.screening.urls")),
    path("checkpoints/", include("frontline.checkpoints.urls")),
    path("people/", include("frontline.people.urls")),
    path("", include("frontline.core.urls")),
]
