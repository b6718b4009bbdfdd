"""Template context shared by every page: the navigation the user's roles allow."""

from django.http import HttpRequest
from django.urls import reverse

from frontline.core.navigation import NAVIGATION
from frontline.core.roles import Role
from frontline.core.scoping import roles_held, user_can


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [
        {
            "label": e.label,
            "url": reverse(e.url_name),
            "active": request.path == reverse(e.url_name)
            or (e.url_name != "core:home" and request.path.startswith(reverse(e.url_name))),
        }
        for e in NAVIGATION
        if user_can(user, e.permission)
    ]
    role_labels = sorted({Role(role).label for role, _ in roles_held(user)})
    return {"nav_entries": entries, "nav_role_labels": role_labels}
