"""Results as text: an aligned table, CSV or JSON (pure; the commands only print it).

A result is column names plus rows.  Values keep their meaning in every format: JSON
gets numbers as numbers, ``null`` for ``None``, ISO-8601 for dates and times, hex for
bytes, strings for decimals and UUIDs (exact); the table and CSV show the same text
forms, with ``NULL`` in the table so an empty string and a null differ.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import enum
import io
import json
import uuid
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render", "text_of"]

FORMATS = ("table", "csv", "json")


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name  # cache modes and states read better by name
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return repr(value)


def text_of(value: Any, null: str = "NULL") -> str:
    """One value as a table cell or CSV field."""
    if value is None:
        return null
    if isinstance(value, str):
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    plain = _jsonable(value)
    return plain if isinstance(plain, str) else json.dumps(plain, ensure_ascii=False)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[text_of(v).replace("\n", "\\n") for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    count = len(rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines)


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    """``rows`` under ``columns`` in ``fmt`` (one of :data:`FORMATS`), without a final newline."""
    if fmt == "table":
        return _table(columns, rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([text_of(v, null="") for v in row] for row in rows)
        return out.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps(
            [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            ensure_ascii=False,
            indent=2,
        )
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
