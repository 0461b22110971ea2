"""Reading a CFPackage file: JSON decoding and validation against the official CASE 1.1 JSON
Schema (1EdTech, Draft 2019-09, with format checks), every violation reported where it is."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

from .report import IssueLog

#: The property a "required" or "additionalProperties" violation is about.
_NAMED = re.compile(r"^'([^']+)' is a required property|\('([^']+)' was unexpected\)")
SCHEMA_PATH = Path(__file__).with_name("case_v1p1_cfpackage_schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def decode(content: str | bytes | dict[str, Any], log: IssueLog) -> dict[str, Any] | None:
    """The package as a dictionary; None (and an error) when it is not a JSON object."""
    if isinstance(content, dict):
        return content
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            log.error(
                "$",
                "",
                "file",
                "encodage invalide : le fichier doit être en UTF-8",
                "invalid encoding: the file must be UTF-8",
            )
            return None
    try:
        data = json.loads(content.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        log.error(
            f"$ (ligne/line {exc.lineno})",
            "",
            "file",
            f"JSON illisible : {exc.msg}",
            f"unreadable JSON: {exc.msg}",
        )
        return None
    except (ValueError, RecursionError):  # what Python refuses to read
        log.error(
            "$",
            "",
            "file",
            "JSON illisible : nombre trop long ou imbrication trop profonde",
            "unreadable JSON: a number too long or nesting too deep",
        )
        return None
    if not isinstance(data, dict):
        log.error(
            "$",
            "",
            "file",
            "un CFPackage est un objet JSON",
            "a CFPackage is a JSON object",
        )
        return None
    return data


def _json_path(parts: Any) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.replace("$.", "", 1) if text != "$" else text


def _identifier_at(package: dict[str, Any], parts: list[Any]) -> str:
    """The identifier of the object that holds the spot ``parts`` points at, if any."""
    node: Any = package
    found = ""
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("identifier"), str):
            found = node["identifier"]
    return found


def check_schema(package: dict[str, Any], log: IssueLog) -> bool:
    """Every violation of the official CASE 1.1 CFPackage schema, as errors."""
    validator = Draft201909Validator(schema(), format_checker=FormatChecker())
    violations = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    for violation in violations:
        parts = list(violation.absolute_path)
        named = _NAMED.search(violation.message)
        last = (
            (named.group(1) or named.group(2))
            if named
            else next((p for p in reversed(parts) if isinstance(p, str)), "")
        )
        log.error(
            _json_path(parts),
            _identifier_at(package, parts),
            str(last),
            f"non conforme au schéma CASE 1.1 : {violation.message}",
            f"does not follow the CASE 1.1 schema: {violation.message}",
        )
    return not violations
