"""The request being served, as seen by code that has no request argument (actions, audit)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


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
