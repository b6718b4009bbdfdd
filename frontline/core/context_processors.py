"""Template context shared by every page: the navigation the user's roles allow."""

from django.http import HttpRequest
from django.urls import reverse

from frontline.core.registry import registry
from frontline.core.roles import role_label
from frontline.core.scoping import roles_held, user_can


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = []
    for entry in registry().navigation:
        if not user_can(user, entry.permission):
            continue
        url = reverse(entry.url_name)
        active = request.path == url or (
            entry.url_name != "core:home" and request.path.startswith(url)
        )
        entries.append({"label": entry.label, "url": url, "active": active})
    role_labels = sorted({role_label(role) for role, _ in roles_held(user)})
    return {"nav_entries": entries, "nav_role_labels": role_labels}
