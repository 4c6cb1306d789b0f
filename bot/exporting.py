"""``gridbot export KIND``: tables for people outside the bot. ``fraud-indicators``: every scam indicator seen,
for the anti-fraud centre (96110) — first and last seen, the groups, the count and a masked sample."""
from __future__ import annotations

import csv
import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from handlers import texts
from storage import indicators
from storage.db import session as new_session

KINDS = ("fraud-indicators",)


def export_fraud_indicators(engine: Engine, *, config: Any, output: Path | None, fmt: str = "csv",
                            since: datetime | None = None, until: datetime | None = None,
                            grid_id: str | None = None) -> list[str]:
    """Write the table (csv or xlsx) to ``output`` (csv: stdout when None); returns lines for the terminal."""
    with new_session(engine) as session:
        found = indicators.indicators_for_export(session, since=since, until=until, grid_id=grid_id)
    tz = config.tz
    rows = [[texts.INDICATOR_KIND_NAMES.get(ind.kind, ind.kind), ind.value,
             ind.first_seen_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             ind.last_seen_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), len(groups), "、".join(groups), count,
             ind.case_id or "", ind.sample_text] for ind, groups, count in found]
    if fmt == "xlsx":
        if output is None:
            raise ValueError("--format xlsx needs --output FILE")
        _write_xlsx(output, rows)
    else:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(texts.EXPORT_INDICATOR_HEADERS)
        writer.writerows(rows)
        if output is None:
            sys.stdout.write(buf.getvalue())
        else:
            output.write_text(buf.getvalue(), encoding="utf-8-sig")  # a BOM: Excel opens it as UTF-8
    where = str(output) if output else "stdout"
    return [f"fraud-indicators: {len(rows)} 条线索 → {where}"]


def _write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "涉诈线索"
    sheet.append(list(texts.EXPORT_INDICATOR_HEADERS))
    for row in rows:
        sheet.append(row)
    book.save(path)
