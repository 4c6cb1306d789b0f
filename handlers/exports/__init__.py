"""Ledgers and exports (台账): each kind is one module of this package defining ``KIND`` — its Chinese title, its
columns and a generator of rows — and one line in ``registry.py``. The writers (xlsx, csv) are in bot/exporting.py.

Every personal value goes through handlers.privacy.mask_personal (and names through mask_name): an export
leaves the system, so it is a list view, never the case page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from sqlmodel import Session


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, as officers write it in the ledger
    width: int = 12  # at least this many characters wide (Chinese characters count as two)


@dataclass(frozen=True)
class Request:
    """What to export: cases (or broadcasts) from ``since`` to ``until`` [since, until), in ``grid_ids`` (None: all),
    and within ``scope`` (a SQL clause on Case from handlers.scope.visible_clause; None: everything)."""

    since: datetime | None
    until: datetime | None
    grid_ids: list[str] | None
    tz: Any
    scope: Any = None
    label: str = ""  # the period, for the sheet's title
    visit_days_per_week: int = 1  # [households] visit_days_per_week: the target of the grid-days ledger


@dataclass(frozen=True)
class ExportKind:
    name: str  # the CLI's KIND: dispute-ledger, cases …
    title: str  # the sheet's and file's Chinese name
    columns: tuple[Column, ...]
    rows: Callable[[Session, Request], Iterator[tuple]]


def batched(rows: Iterator[Any], size: int = 2000) -> Iterator[list[Any]]:
    """Rows in lists of ``size``, so names can be looked up once per batch, not once per row."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def local(when: datetime | None, tz: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone(tz).strftime(fmt) if when else ""


def day(when: datetime | None, tz: Any) -> str:
    return local(when, tz, "%Y-%m-%d")
