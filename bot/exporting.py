"""Writing an export: xlsx with XlsxWriter in constant-memory mode (rows stream to disk as they come, so a
month of a whole city never sits in memory), or csv with a BOM so spreadsheet programs read the Chinese.
Chinese headers, the header row frozen, column widths fitted to the first rows."""
from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from pathlib import Path
from typing import IO, Iterable, Iterator

from sqlalchemy.engine import Engine

from handlers.exports import ExportKind, Request
from storage.db import session as new_session

SAMPLE = 500  # rows read ahead to fit the column widths
MAX_WIDTH = 60
FORMATS = ("xlsx", "csv")


def display_width(value: object) -> int:
    """Characters as a spreadsheet shows them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def fitted_widths(kind: ExportKind, sample: list[tuple]) -> list[int]:
    widths = [max(c.width, display_width(c.header)) for c in kind.columns]
    for row in sample:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(display_width(value), MAX_WIDTH))
    return [w + 2 for w in widths]


def write_xlsx(kind: ExportKind, rows: Iterable[tuple], path: Path, *, title: str = "") -> int:
    """Write the rows to ``path``; returns how many data rows were written."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, SAMPLE))
    # Plain values: no URL or formula detection per string (a resident's "=…" stays text, and it is faster).
    import xlsxwriter  # only when an export is written: the server does not carry it

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_urls": False, "strings_to_formulas": False})
    try:
        sheet = book.add_worksheet(kind.title[:31])
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                  "valign": "vcenter"})
        for i, width in enumerate(fitted_widths(kind, sample)):
            sheet.set_column(i, i, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [c.header for c in kind.columns], header)
        count = 0
        for count, row in enumerate(itertools.chain(sample, rows), start=1):
            sheet.write_row(count, 0, row)
        if title:
            book.set_properties({"title": title, "subject": kind.title})
    finally:
        book.close()
    return count


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A text a spreadsheet would run as a formula (a resident wrote "=HYPERLINK(…)") is kept as text."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def iter_csv(kind: ExportKind, rows: Iterable[tuple]) -> Iterator[bytes]:
    """CSV as chunks of UTF-8 bytes (with a BOM), for a file or an HTTP stream; formula-like texts neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([c.header for c in kind.columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_safe(v) for v in row])
        if n % 1000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(kind: ExportKind, rows: Iterable[tuple], out: IO[bytes]) -> None:
    for chunk in iter_csv(kind, rows):
        out.write(chunk)


def export_to_file(engine: Engine, kind: ExportKind, request: Request, *, fmt: str, path: Path) -> int:
    """Run one export into a file; returns the rows written (csv: counted as they pass)."""
    with new_session(engine) as session:
        rows = kind.rows(session, request)
        if fmt == "xlsx":
            return write_xlsx(kind, rows, path, title=f"{kind.title} {request.label}".strip())
        counted = _Counter(rows)
        with open(path, "wb") as out:
            write_csv(kind, counted, out)
        return counted.n


class _Counter:
    def __init__(self, rows: Iterable[tuple]) -> None:
        self.rows, self.n = iter(rows), 0

    def __iter__(self) -> Iterator[tuple]:
        for row in self.rows:
            self.n += 1
            yield row


def file_name(kind: ExportKind, request: Request, fmt: str) -> str:
    label = request.label.replace(" 至 ", "_").replace(" ", "") or "全部"
    return f"{kind.title}-{label}.{fmt}"
