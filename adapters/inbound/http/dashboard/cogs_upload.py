"""The rows of a COGS bulk upload, from CSV, JSON or a form's file, as plain mappings for the use case to
check field by field (a malformed file as a whole is a 400 `body` here; a bad row is the use case's)."""

import csv
import io
import json
from decimal import Decimal

from aiohttp import BodyPartReader, web

from adapters.inbound.http.errors import ErrorDetail, InvalidRequest
from application.cogs.inputs import FIELDS

Rows = list[dict[str, object]]
REQUIRED = ("nm_id", "unit_cost", "valid_from")
_CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")


def _refuse(field: str, reason: str) -> InvalidRequest:
    return InvalidRequest([ErrorDetail(field=field, reason=reason)])


async def bulk_rows(request: web.Request) -> tuple[Rows, bool]:
    """(rows, decimal_comma) of the request's body by its Content-Type."""
    kind = request.content_type
    if kind == "multipart/form-data":
        return await _form_file(request)
    text = _text(await request.read())
    if kind == "application/json":
        return json_rows(text), False
    if kind in _CSV_TYPES:
        return csv_rows(text)
    raise _refuse("header.Content-Type", "send text/csv, application/json or multipart/form-data")


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("body", "not UTF-8 text (save the CSV as UTF-8)") from None


async def _form_file(request: web.Request) -> tuple[Rows, bool]:
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader) and part.name == "file":
            text = _text(await part.read())
            if (part.filename or "").lower().endswith(".json"):
                return json_rows(text), False
            return csv_rows(text)
    raise _refuse("body.file", "a form part named `file` with the CSV is required")


def json_rows(text: str) -> Rows:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _refuse("body", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _refuse(
            "body", "must be a JSON array of objects with nm_id, unit_cost, valid_from[, currency, valid_to]"
        )
    return [dict(item) for item in data]


def csv_rows(text: str) -> tuple[Rows, bool]:
    """Rows by header name (lower-cased, trimmed); `;` as the separator means a decimal comma too."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise _refuse("body", "empty: the first line must name the columns")
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = [line for line in reader if any(cell.strip() for cell in line)]
    header = [name.strip().lower() for name in lines[0]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in FIELDS]
    if missing or unknown or len(set(header)) != len(header):
        reason = f"the header must name {', '.join(REQUIRED)} and may name currency, valid_to (each once)"
        raise _refuse("body.header", reason)
    rows: Rows = []
    for cells in lines[1:]:
        row: dict[str, object] = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            row["extra_cells"] = cells[len(header) :]
        rows.append(row)
    return rows, delimiter == ";"
