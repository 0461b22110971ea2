"""Display preferences (theme, dyslexia-friendly font, text size), kept in a cookie."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "cartable_prefs"
THEMES = ("auto", "light", "dark")
TEXT_SIZES = ("normal", "large", "larger")


@dataclass(frozen=True)
class Preferences:
    theme: str = "auto"
    dyslexia_font: bool = False
    text_size: str = "normal"


def read_preferences(request: HttpRequest) -> Preferences:
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return Preferences()
    try:
        data = json.loads(raw)
    except ValueError:
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    return clean_preferences(data)


def clean_preferences(data: dict[str, object]) -> Preferences:
    theme = str(data.get("theme", "auto"))
    size = str(data.get("text_size", "normal"))
    return Preferences(
        theme=theme if theme in THEMES else "auto",
        dyslexia_font=data.get("dyslexia_font") in (True, "on", "1", "true"),
        text_size=size if size in TEXT_SIZES else "normal",
    )


def store_preferences(response: HttpResponse, preferences: Preferences) -> None:
    response.set_cookie(
        COOKIE_NAME,
        json.dumps(asdict(preferences)),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
