"""Import and export of the whole catalogue, as one JSON document or a ZIP of CSV files.

    result = export("json", [2025], acting_user=user)          # Export(content, filename, …)
    report = run_import(content, fmt="csv", dry_run=True, acting_user=user)

Reading (``json_format``, ``csv_format``) turns a file into checked records (``records``);
planning (``plan_top``, ``plan_offers``, ``plan_lists``) matches them to what is stored, by
natural key, and reports every problem; ``apply`` writes the plan in one transaction.
Formats and columns: docs/samples/catalogue/README.md.
"""

from __future__ import annotations

from .report import Counts, ImportReport, RowError
from .schema import TABLE_NAMES, TABLES
from .service import FORMATS, Export, catalogue_years, export, guess_format, run_import

#: Largest file accepted by the web screen (the management command has no limit).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

__all__ = [
    "FORMATS",
    "MAX_UPLOAD_BYTES",
    "TABLES",
    "TABLE_NAMES",
    "Counts",
    "Export",
    "ImportReport",
    "RowError",
    "catalogue_years",
    "export",
    "guess_format",
    "run_import",
]
