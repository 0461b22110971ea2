"""Text helpers shared by every module."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import get_language

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text, for accent- and case-insensitive search.

    ``fold("Élec­tronique  NUMÉRIQUE") == "electronique numerique"``; ``œ`` and ``æ`` become
    ``oe`` and ``ae`` as a French reader expects."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def english() -> bool:
    """Whether the interface speaks English now (French otherwise, the default)."""
    return (get_language() or "fr").startswith("en")
