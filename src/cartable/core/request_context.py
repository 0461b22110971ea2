"""The request being served, as seen by code that has no request argument (actions, audit)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None = None
    user_agent: str = ""


_NO_REQUEST = RequestMeta()
_current: ContextVar[RequestMeta] = ContextVar("cartable_request_meta", default=_NO_REQUEST)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta) -> object:
    return _current.set(meta)


def reset_request_meta(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


_cache: ContextVar[dict[object, object] | None] = ContextVar("cartable_request_cache", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def start_request_cache() -> object:
    return _cache.set({})


def end_request_cache(token: object) -> None:
    _cache.reset(token)  # type: ignore[arg-type]


def clear_request_cache() -> None:
    """Forget what this request computed (called after every audited write)."""
    cache = _cache.get()
    if cache is not None:
        cache.clear()


def request_cached(func: F) -> F:
    """Compute a pure read at most once per request (arguments must be hashable).

    Outside a request nothing is cached. Every audited write clears the cache, so a request
    that changes the referential never reads stale facts afterwards."""

    @wraps(func)
    def wrapper(*args: Any) -> Any:
        cache = _cache.get()
        if cache is None:
            return func(*args)
        key = (func.__module__, func.__qualname__, args)
        if key not in cache:
            cache[key] = func(*args)
        return cache[key]

    return cast(F, wrapper)
