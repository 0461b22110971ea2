"""Import and export of the weekly template, one row per slot, as CSV or JSON.

    result = export("csv", 2026, "A", acting_user=user)          # Export(content, filename, …)
    report = run_import(content, fmt="csv", dry_run=True, acting_user=user)

``formats`` reads and writes the rows; ``plan`` reads them into complete templates (one per
offer and semester) and reports every bad cell; ``apply`` matches them to what is stored,
counts, and writes in one transaction. Columns: docs/samples/timetable/README.md.
"""

from __future__ import annotations

from .formats import COLUMNS, REQUIRED
from .report import Counts, ImportReport, RowError
from .service import FORMATS, Export, export, guess_format, rows_of, run_import

__all__ = [
    "COLUMNS",
    "FORMATS",
    "REQUIRED",
    "Counts",
    "Export",
    "ImportReport",
    "RowError",
    "export",
    "guess_format",
    "rows_of",
    "run_import",
]
