"""The permission matrix, one module per area (``tests/matrix/<area>.py``).

Each module defines ``MATRIX`` — url name → (path template, personas who get 200, what an
anonymous visitor gets, method) — optionally ``REFUSAL`` — url name → what an authenticated
persona outside the 200 set gets when it is not 403 — and optionally ``build_world()``,
returning the values its path templates need (``{offer}``, ``{programme}``, …).
"""

from __future__ import annotations

from typing import Any

from tests.personas import PERSONA_NAMES

EVERYONE = frozenset(PERSONA_NAMES) - {"outsider"}
READERS = frozenset({"scolarite", "dsin_admin", "dpo", "direction"})
ACCESS_READERS = frozenset({"dsin_admin", "security_officer"})
DSIN = frozenset({"dsin_admin"})
JOURNAL = frozenset({"dpo", "security_officer"})
NOBODY: frozenset[str] = frozenset()
LOGIN = "login"  # anonymous visitors are sent to the login page

Row = tuple[str, frozenset[str], Any, str]
