"""Parsing one cell of an imported file: each parser takes the text of a CSV cell (or a JSON
value) and returns a Python value, or raises :class:`Problem` with the reason in French and
English. Nothing is ever truncated or guessed. Every import of Cartable shares these."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db import models

Parser = Callable[[str], object]

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class Problem(ValueError):
    """Why a value is refused, in French and in English (without the field name)."""

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(message_en)
        self.reason = (message_fr, message_en)


def fr_quote(value: object) -> str:
    return f"« {value} »"


def en_quote(value: object) -> str:
    return f"'{value}'"


def max_length(model: type[models.Model], name: str) -> int:
    """The database limit of a text field, read from the model so both never drift apart."""
    value = getattr(model._meta.get_field(name), "max_length", None)
    if not isinstance(value, int):
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return value


def check_length(value: str, limit: int | None) -> str:
    if limit is not None and len(value) > limit:
        raise Problem(
            f"valeur trop longue ({len(value)} caractères, {limit} au maximum)",
            f"value too long ({len(value)} characters, at most {limit})",
        )
    return value


def text(limit: int | None = None) -> Parser:
    """Free text, kept exactly as written (line breaks and spaces included)."""

    def parse(raw: str) -> str:
        return check_length(raw, limit)

    return parse


def token(limit: int) -> Parser:
    """An identifier such as a login: no spaces inside."""

    def parse(raw: str) -> str:
        if any(char.isspace() for char in raw):
            raise Problem(
                f"identifiant {fr_quote(raw)} : les espaces sont interdits",
                f"identifier {en_quote(raw)}: spaces are not allowed",
            )
        return check_length(raw, limit)

    return parse


def slug(limit: int) -> Parser:
    def parse(raw: str) -> str:
        if not SLUG.fullmatch(raw):
            raise Problem(
                f"code invalide {fr_quote(raw)} (lettres sans accent, chiffres, - et _)",
                f"invalid code {en_quote(raw)} (unaccented letters, digits, - and _)",
            )
        return check_length(raw, limit)

    return parse


def choice(values: Iterable[str]) -> Parser:
    allowed = tuple(values)
    by_folded = {value.lower(): value for value in allowed}

    def parse(raw: str) -> str:
        found = by_folded.get(raw.lower())
        if found is None:
            listed = ", ".join(allowed)
            raise Problem(
                f"valeur inconnue {fr_quote(raw)} (attendu : {listed})",
                f"unknown value {en_quote(raw)} (expected one of: {listed})",
            )
        return found

    return parse
