"""A person's notifications under the front door: their list, and marking them read (POST)."""

from __future__ import annotations

from . import EVERYONE, LOGIN, NOBODY, Row

MATRIX: dict[str, Row] = {
    "portal:notifications": ("/notifications/", EVERYONE, LOGIN, "get"),
    "portal:notifications_read": ("/notifications/lues/", NOBODY, 405, "get"),
}

REFUSAL = {"portal:notifications_read": 405}
