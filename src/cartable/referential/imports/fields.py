"""Parsing one cell: each parser returns a Python value or raises :class:`Problem` with the
reason in French and English. Nothing is ever truncated or guessed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

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


TRUE_WORDS = frozenset({"oui", "o", "vrai", "true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"non", "n", "faux", "false", "f", "no", "0"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
INE = re.compile(r"\d{10}[A-Z]|\d{9}[A-Z]{2}")
EPPN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
OLDEST_BIRTH = date(1900, 1, 1)


def iso_date(raw: str) -> date:
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise Problem(
            f"date invalide {fr_quote(raw)} (attendu AAAA-MM-JJ)",
            f"invalid date {en_quote(raw)} (expected YYYY-MM-DD)",
        ) from None


def compact_date(raw: str) -> date:
    """schacDateOfBirth: ``YYYYMMDD``."""
    found = COMPACT_DATE.fullmatch(raw)
    try:
        if not found:
            raise ValueError(raw)
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise Problem(
            f"date invalide {fr_quote(raw)} (attendu AAAAMMJJ)",
            f"invalid date {en_quote(raw)} (expected YYYYMMDD)",
        ) from None


def birth_date(read: Callable[[str], date], today: date) -> Parser:
    def parse(raw: str) -> date:
        value = read(raw)
        if value > today:
            raise Problem(
                f"date de naissance dans le futur {fr_quote(raw)}",
                f"birth date in the future {en_quote(raw)}",
            )
        if value < OLDEST_BIRTH:
            raise Problem(
                f"date de naissance invraisemblable {fr_quote(raw)} (avant 1900)",
                f"implausible birth date {en_quote(raw)} (before 1900)",
            )
        return value

    return parse


def boolean(raw: str) -> bool:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Problem(
        f"booléen invalide {fr_quote(raw)} (attendu oui/non, true/false ou 1/0)",
        f"invalid boolean {en_quote(raw)} (expected oui/non, true/false or 1/0)",
    )


def email(limit: int) -> Parser:
    def parse(raw: str) -> str:
        try:
            validate_email(raw)
        except ValidationError:
            raise Problem(
                f"adresse électronique invalide {fr_quote(raw)}",
                f"invalid e-mail address {en_quote(raw)}",
            ) from None
        return check_length(raw, limit)

    return parse


def eppn(limit: int) -> Parser:
    def parse(raw: str) -> str:
        if not EPPN.fullmatch(raw):
            raise Problem(
                f"eduPersonPrincipalName invalide {fr_quote(raw)} (attendu identifiant@domaine)",
                f"invalid eduPersonPrincipalName {en_quote(raw)} (expected login@domain)",
            )
        return check_length(raw, limit)

    return parse


def ine(raw: str) -> str:
    """The national student number: 10 digits and a letter, or 9 digits and two letters."""
    value = raw.upper()
    if not INE.fullmatch(value):
        raise Problem(
            f"INE invalide {fr_quote(raw)} (11 caractères : 10 chiffres et 1 lettre, "
            "ou 9 chiffres et 2 lettres)",
            f"invalid INE {en_quote(raw)} (11 characters: 10 digits and 1 letter, "
            "or 9 digits and 2 letters)",
        )
    return value
