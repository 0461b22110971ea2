"""Spreadsheet downloads every screen shares: CSV as a French spreadsheet opens it (UTF-8 with a
byte-order mark, ``;``, decimal commas) and Excel (.xlsx). No cell is ever run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

Rows = Sequence[Sequence[Any]]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> Any:
    """A cell as a French spreadsheet reads it (decimal comma), never run as a formula."""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return response


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Rows) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_value(value: Any) -> Any:
    """A cell value Excel accepts: control characters (pasted from word processors) dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))
