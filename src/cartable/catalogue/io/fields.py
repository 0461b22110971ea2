"""Parsing one cell: each parser takes the text of a CSV cell or a JSON value and returns a
Python value, or raises :class:`Problem` with the reason in French and English. Nothing is
ever truncated or guessed."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from cartable.core import cells

# The parsers every import shares, so that the import rules call any parser as ``fields.*``.
Parser = cells.Parser
Problem = cells.Problem
check_length = cells.check_length
choice = cells.choice
en_quote = cells.en_quote
fr_quote = cells.fr_quote
max_length = cells.max_length
slug = cells.slug
text = cells.text
token = cells.token


UE_CODE = re.compile(r"[A-Z0-9][A-Z0-9_.-]*")
DECIMAL = re.compile(r"-?\d+([.,]\d+)?")
INTEGER = re.compile(r"-?\d+")
FIRST_YEAR, LAST_YEAR = 1950, 2200


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
