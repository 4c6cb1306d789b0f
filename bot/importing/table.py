"""Reading the spreadsheets communities already keep: xlsx or csv, one header row, Chinese or English column
names; every bad cell reported by line and column, nothing returned until the whole file is clean."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

MAX_ROWS = 200_000
MAX_CELL = 2000
SEPARATORS = str.maketrans({c: "," for c in "、，;；/|\n"})

Parse = Callable[[str], Any]  # raises ValueError with a Chinese reason


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header officers use
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Parse = str
    empty: Any = ""  # the value of a blank cell

    def names(self) -> set[str]:
        return {self.header, self.key, *self.aliases}


@dataclass
class Problems:
    """Every problem of a file, each naming its line and column, in file order."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: int | None, column: str | None, message: str) -> None:
        where = "".join([f"第{line}行" if line else "", f" {column}" if column else ""]).strip()
        self.lines.append(f"{where}：{message}" if where else message)

    def __bool__(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class Row:
    line: int  # the spreadsheet's own line number (the header is line 1)
    values: dict[str, Any]


class BadFile(Exception):
    """The file cannot be read at all (not xlsx/csv, no header, too big)."""


def read_table(path: str | Path, columns: tuple[Column, ...], problems: Problems) -> list[Row]:
    """The rows of the first sheet, parsed per column; problems collected (the caller imports nothing then)."""
    raw = list(_raw_rows(Path(path)))
    if not raw:
        raise BadFile("文件是空的，至少需要一行表头")
    header, body = raw[0], raw[1:]
    if len(body) > MAX_ROWS:
        raise BadFile(f"文件超过{MAX_ROWS}行，请分批导入")
    index = _map_header(header, columns, problems)
    rows = []
    for offset, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines between blocks are common in hand-kept sheets
        values: dict[str, Any] = {}
        for column in columns:
            position = index.get(column.key)
            text = cells[position].strip() if position is not None and position < len(cells) else ""
            if len(text) > MAX_CELL:
                problems.add(offset, column.header, f"内容超过{MAX_CELL}个字")
                continue
            if not text:
                if column.required:
                    problems.add(offset, column.header, "不能为空")
                values[column.key] = column.empty
                continue
            try:
                values[column.key] = column.parse(text)
            except ValueError as exc:
                problems.add(offset, column.header, str(exc))
        rows.append(Row(offset, values))
    return rows


def _map_header(header: list[str], columns: tuple[Column, ...], problems: Problems) -> dict[str, int]:
    index: dict[str, int] = {}
    known = {name.strip().lower(): c for c in columns for name in c.names()}
    for position, name in enumerate(header):
        column = known.get(name.strip().lower())
        if column is None:
            if name.strip():
                problems.add(1, name.strip(), "不认识的列（可用：" + "、".join(c.header for c in columns) + "）")
            continue
        if column.key in index:
            problems.add(1, name.strip(), "列重复")
        index[column.key] = position
    for column in columns:
        if column.required and column.key not in index:
            problems.add(1, column.header, "缺少这一列")
    return index


def _raw_rows(path: Path) -> Iterator[list[str]]:
    if not path.is_file():
        raise BadFile(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(path)
    elif suffix == ".csv":
        yield from csv.reader(io.StringIO(_decode(path.read_bytes())))
    else:
        raise BadFile("只支持 .xlsx 或 .csv 文件")


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise BadFile(f"不是有效的 xlsx 文件（{type(exc).__name__}）") from None
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers and ids typed as numbers
    return str(value)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as Excel saves Chinese CSV files."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFile("无法识别文件编码，请另存为 UTF-8 的 CSV 或 xlsx")


def split_list(text: str) -> list[str]:
    """'worker-1、worker-2' / 'a,b;c' → ['worker-1', 'worker-2']."""
    return [part.strip() for part in text.translate(SEPARATORS).split(",") if part.strip()]
