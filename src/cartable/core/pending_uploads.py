"""Files waiting between a dry run on the web screen and its confirmation.

The uploaded content is kept server-side under ``VAR_DIR/imports-pending/<token>.upload``, where
the token is random and the caller's session remembers which tokens are its own; a client never
sends a path. Files hold personal data: they are removed once imported, and after one day.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
MAX_AGE_SECONDS = 24 * 3600
SUFFIX = ".upload"


def directory() -> Path:
    path = Path(settings.VAR_DIR) / "imports-pending"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path | None:
    return directory() / f"{token}{SUFFIX}" if TOKEN.fullmatch(token) else None


def purge(max_age: float = MAX_AGE_SECONDS) -> int:
    """Remove files older than ``max_age`` seconds; return how many were removed."""
    limit = time.time() - max_age
    removed = 0
    for path in directory().glob(f"*{SUFFIX}"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def store(content: bytes) -> str:
    purge()
    token = secrets.token_urlsafe(32)
    path = directory() / f"{token}{SUFFIX}"
    path.touch(mode=0o600)
    path.write_bytes(content)
    return token


def load(token: str) -> bytes | None:
    path = _path(token)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
