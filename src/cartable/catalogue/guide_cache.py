"""Caching of the public course guide's pages, all in Django's default cache.

- The inner part of each page (inside ``<main>``) is kept for its full URL, the interface
  language and the catalogue's revision (:func:`search.catalogue_revision`, one query, read
  at most once a second per process) with a generation number that saving any catalogue or
  competency row moves at once, for at most ``CACHE_SECONDS``.
- For anonymous visitors, the layout around it (core/base.html) is rendered once per
  language and display preferences, with placeholders for the title, the path, the CSRF
  token and the inner part: a visit whose inner part is cached renders no template at all,
  and gets its own CSRF token. Anything the layout shows that depends on the visitor must be
  part of that key; signed-in visitors get the layout rendered for them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cartable.core.preferences import read_preferences

from . import search

#: Rendered parts expire after this many seconds even when the revision has not moved, so that
#: edits the revision does not see (a programme's description, a person's name) show up soon.
CACHE_SECONDS = 300
#: Saving or deleting a row of these apps makes every cached guide page stale at once: a
#: generation number kept in the cache (shared by all processes when the cache is) is part
#: of every key. The referential is left out (its imports save thousands of rows; a person's
#: name or a campus's shows up when pages expire).
WATCHED_APPS = frozenset({"catalogue", "competencies"})
GENERATION_KEY = "guide:generation"
#: The revision is read from the database again after this many seconds (per process).
REVISION_SECONDS = 1.0
_NOT_READ = (-1e9, "")
_revision_memo: dict[str, tuple[float, str]] = {"last": _NOT_READ}


def _forget_cached_pages(sender: type[Model], **kwargs: Any) -> None:
    if sender._meta.app_label not in WATCHED_APPS:
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (yet, or any more)
        cache.set(GENERATION_KEY, 1, timeout=None)
    _revision_memo["last"] = _NOT_READ


post_save.connect(_forget_cached_pages, dispatch_uid="guide-forget-cached-pages-save")
post_delete.connect(_forget_cached_pages, dispatch_uid="guide-forget-cached-pages-delete")


def revision(request: HttpRequest) -> str:
    """The catalogue's revision, read once per request."""
    found: str | None = getattr(request, "_guide_revision", None)
    if found is None:
        found = _current_revision()
        request._guide_revision = found  # type: ignore[attr-defined]
    return found


def _current_revision() -> str:
    """The generation and the catalogue's revision, remembered a second between requests,
    except inside a transaction (which may be rolled back, as in tests)."""
    now = time.monotonic()
    read_at, value = _revision_memo["last"]
    in_transaction = connection.in_atomic_block
    if not in_transaction and now - read_at < REVISION_SECONDS:
        return value
    value = f"{cache.get(GENERATION_KEY, 0)}.{search.catalogue_revision()}"
    if not in_transaction:
        _revision_memo["last"] = (now, value)
    return value


def cache_key(request: HttpRequest, part: str) -> str:
    raw = f"{part}|{get_language()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"guide:{revision(request)}:{digest}"


def cached(request: HttpRequest, part: str, build: Callable[[], Any]) -> Any:
    """What ``build`` returns for this URL, language and revision, from the cache if there."""
    return _remember(cache_key(request, part), build)


def cached_data(request: HttpRequest, name: str, build: Callable[[], Any]) -> Any:
    """Data shared by many pages (filter choices), for this language and revision."""
    return _remember(f"guide:{revision(request)}:{get_language()}:{name}", build)


def _remember(key: str, build: Callable[[], Any]) -> Any:
    found = cache.get(key)
    if found is None:
        found = build()
        if found is not None:
            cache.set(key, found, CACHE_SECONDS)
    return found


def page(
    request: HttpRequest,
    title: str,
    content: str,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"page_title": title, "content": mark_safe(content), **(extra or {})}  # noqa: S308
    response = render(request, "catalogue/guide/page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


#: Stand for the per-page parts of the layout kept for anonymous visitors.
CSRF_PLACEHOLDER = "guide-layout-csrf-token-9d1c"
TITLE_PLACEHOLDER = "guide-layout-title-9d1c"
PATH_PLACEHOLDER = "guide-layout-path-9d1c"
CONTENT_PLACEHOLDER = "guide-layout-content-9d1c"


class _LayoutRequest:
    """The request as the layout sees it while rendered once for every page: its path is a
    placeholder."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def get_full_path(self) -> str:
        return PATH_PLACEHOLDER

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


def _anonymous(request: HttpRequest) -> bool:
    """An anonymous visitor with no message waiting: the layout is the same for all of them
    but for the language, the display preferences, the page and the CSRF token."""
    return not request.user.is_authenticated and not len(get_messages(request))


def _layout(request: HttpRequest) -> str:
    """core/base.html as every anonymous visitor with these language and display preferences
    sees it, with placeholders for the title, the path, the CSRF token and the content."""
    prefs = read_preferences(request)
    key = f"guide-layout:{get_language()}:{prefs.theme}-{prefs.text_size}-{prefs.dyslexia_font}"
    found: str | None = cache.get(key)
    if found is None:
        rendered = page(
            request,
            TITLE_PLACEHOLDER,
            CONTENT_PLACEHOLDER,
            extra={"csrf_token": CSRF_PLACEHOLDER, "request": _LayoutRequest(request)},
        )
        found = rendered.content.decode()
        cache.set(key, found, CACHE_SECONDS)
    return found


def serve(
    request: HttpRequest, part: str, build: Callable[[], tuple[str, str] | None]
) -> HttpResponse | None:
    """The page whose title and inner HTML ``build`` returns, through the cache; None when
    ``build`` finds nothing to show. Anonymous visitors get the page poured into the layout
    kept for them (no template rendered when the inner part is cached)."""
    found = cached(request, part, build)
    if found is None:
        return None
    if not _anonymous(request):
        return page(request, *found)
    title, content = found
    html = (
        _layout(request)
        .replace(TITLE_PLACEHOLDER, escape(title))
        .replace(PATH_PLACEHOLDER, escape(request.get_full_path()))
        .replace(CSRF_PLACEHOLDER, get_token(request))
        .replace(CONTENT_PLACEHOLDER, content)
    )
    response = HttpResponse(html)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
