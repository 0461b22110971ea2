"""Domain errors carry their message in French and in English, and the field they concern."""

from __future__ import annotations

from django.utils.translation import get_language


class DomainError(Exception):
    """A rule refused an operation. Views map it to a form error or a 4xx answer."""

    def __init__(self, field: str, message_fr: str, message_en: str) -> None:
        super().__init__(message_fr)
        self.field = field
        self.message_fr = message_fr
        self.message_en = message_en

    @property
    def message(self) -> str:
        """The message in the active language (French unless English is active)."""
        return self.message_en if (get_language() or "fr").startswith("en") else self.message_fr

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_fr": self.message_fr, "message_en": self.message_en}
