"""Session timeouts and response headers for pages that carry personal data."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Only a write-back a minute: a session save on every request would make every
# page view a database write.
_SEEN_RESOLUTION = 60

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class SessionTimeoutMiddleware:
    """Log out a session idle for too long, or older than the absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get("started_at")
            seen = request.session.get("seen_at")
            if started is None or seen is None:
                request.session["started_at"] = started or now
                request.session["seen_at"] = now
            elif (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                return self._timed_out(request)
            elif now - seen > _SEEN_RESOLUTION:
                request.session["seen_at"] = now
        return self.get_response(request)

    @staticmethod
    def _timed_out(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "登录已超时，请重新登录"}, status=401)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=401)
            response["HX-Redirect"] = settings.LOGIN_URL_PATH
            return response
        messages.info(request, "登录已超时，请重新登录。")
        return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")


class PrivateCacheMiddleware:
    """Dynamic responses are never cached (they may hold personal data); add a CSP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        if not request.path.startswith("/api/docs"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
