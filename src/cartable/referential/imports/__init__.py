"""Imports of the referential (structures, persons, contracts) from CSV and SUPANN LDIF.

    report = run_import("persons", content, fmt="csv", dry_run=True, acting_user=user)

Formats and columns: docs/samples/README.md.
"""

from __future__ import annotations

from .report import FORMATS, KINDS, ImportReport, RowError
from .service import guess_format, run_import

#: Largest file accepted by the web screen (the management command has no limit).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

__all__ = [
    "FORMATS",
    "KINDS",
    "MAX_UPLOAD_BYTES",
    "ImportReport",
    "RowError",
    "guess_format",
    "run_import",
]
