from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import needs_strong_authentication
from .request_context import (
    RequestMeta,
    end_request_cache,
    reset_request_meta,
    set_request_meta,
    start_request_cache,
)


class RequestContextMiddleware:
    """Make the caller's address and browser known to the audit journal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = RequestMeta(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        token = set_request_meta(meta)
        cache_token = start_request_cache()
        try:
            return self.get_response(request)
        finally:
            end_request_cache(cache_token)
            reset_request_meta(token)


#: Paths a privileged person may reach before completing strong authentication.
MFA_EXEMPT_PREFIXES = ("/static/", "/i18n/", "/preferences/")


class StrongAuthenticationMiddleware:
    """Privileged staff must pass a TOTP check before anything else (§6.1.3)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.CARTABLE_MFA_REQUIRED
            and user.is_authenticated
            and not getattr(user, "is_verified", lambda: False)()
            and not self._exempt(request)
            and needs_strong_authentication(user)
        ):
            return redirect(f"{reverse('core:mfa')}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path
        allowed = (reverse("core:mfa"), reverse("core:logout"))
        return path in allowed or path.startswith(MFA_EXEMPT_PREFIXES)
