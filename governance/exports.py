"""Spreadsheet-safe exports, for every CSV (and any text cell of a workbook) the
product writes.

CSV injection (OWASP "CSV Injection"): a spreadsheet opening a CSV treats a cell that
begins with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)`` becomes a
live link), and a leading tab or carriage return can hide one. Every text cell that
begins with one of these is written with a leading apostrophe, which spreadsheets
show as text and do not evaluate. Numbers (int, Decimal, float) are written as
numbers: a negative variance stays a number. Pure.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value as a spreadsheet reads it safely: text that could start a formula
    gains a leading apostrophe; numbers, dates and None pass unchanged."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if not isinstance(value, str):
        value = str(value)
    if value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable], *, bom: bool = True) -> bytes:
    """Rows as a CSV file (UTF-8 with a byte-order mark, as Excel expects), every
    cell through ``spreadsheet_safe``."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    text = out.getvalue()
    return text.encode("utf-8-sig" if bom else "utf-8")
