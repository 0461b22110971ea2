"""Parsing one cell: each parser takes the text of a CSV cell or a JSON value and returns a
Python value, or raises :class:`Problem` with the reason in French and English. Nothing is
ever truncated or guessed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

Parser = Callable[[str], object]

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
UE_CODE = re.compile(r"[A-Z0-9][A-Z0-9_.-]*")
DECIMAL = re.compile(r"-?\d+([.,]\d+)?")
INTEGER = re.compile(r"-?\d+")
FIRST_YEAR, LAST_YEAR = 1950, 2200


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


def ue_code(limit: int) -> Parser:
    """A UE code as the guide resolves it: capitals, digits, ``-``, ``_`` and ``.``."""

    def parse(raw: str) -> str:
        if not UE_CODE.fullmatch(raw):
            raise Problem(
                f"code d'UE invalide {fr_quote(raw)} (majuscules sans accent, chiffres, - _ .)",
                f"invalid UE code {en_quote(raw)} (unaccented capitals, digits, - _ .)",
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


def integer(low: int, high: int) -> Parser:
    def parse(raw: str) -> int:
        if not INTEGER.fullmatch(raw):
            raise Problem(
                f"nombre entier attendu, pas {fr_quote(raw)}",
                f"a whole number is expected, not {en_quote(raw)}",
            )
        value = int(raw)
        if not low <= value <= high:
            raise Problem(
                f"{value} hors des limites ({low} à {high})",
                f"{value} out of range ({low} to {high})",
            )
        return value

    return parse


year = integer(FIRST_YEAR, LAST_YEAR)


def decimal(
    field: models.DecimalField[Any, Any], low: Decimal, high: Decimal | None = None
) -> Parser:
    """A decimal number (``.`` or ``,`` as separator) that fits the database column."""
    places = field.decimal_places or 0
    digits = field.max_digits or 0
    ceiling = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
    top = ceiling if high is None else min(high, ceiling)

    def parse(raw: str) -> Decimal:
        try:
            if not DECIMAL.fullmatch(raw):
                raise InvalidOperation(raw)
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise Problem(
                f"nombre attendu, pas {fr_quote(raw)}", f"a number is expected, not {en_quote(raw)}"
            ) from None
        if value != value.quantize(Decimal(1).scaleb(-places)):
            raise Problem(
                f"{raw} : au plus {places} décimale(s)",
                f"{raw}: at most {places} decimal place(s)",
            )
        if not low <= value <= top:
            raise Problem(
                f"{raw} hors des limites ({low} à {top})", f"{raw} out of range ({low} to {top})"
            )
        return value

    return parse


_URL = URLValidator()


def url(limit: int) -> Parser:
    def parse(raw: str) -> str:
        try:
            _URL(raw)
        except ValidationError:
            raise Problem(
                f"adresse invalide {fr_quote(raw)}", f"invalid URL {en_quote(raw)}"
            ) from None
        return check_length(raw, limit)

    return parse


def uuid_value(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Problem(f"UUID invalide {fr_quote(raw)}", f"invalid UUID {en_quote(raw)}") from None


def moment(raw: str) -> datetime:
    """An ISO 8601 date and time; without an offset, the time is read in the local zone."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise Problem(
            f"date et heure invalides {fr_quote(raw)} (attendu AAAA-MM-JJTHH:MM:SS+01:00)",
            f"invalid date and time {en_quote(raw)} (expected YYYY-MM-DDTHH:MM:SS+01:00)",
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
