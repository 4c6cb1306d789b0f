"""`gridbot import duty FILE`: the duty rota (排班表), one shift a row: 网格编号 (or 全部), 值班民警, 时段 (22:00-08:00),
星期 (1-5, 一至五, blank: every day) or 日期 (one day; wins over weekly shifts). Checked whole before anything is
written; an import replaces the shifts imported before (the shifts of config's ``[[duty]]`` stay)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Sequence

from sqlmodel import Session

from bot.importing.rosters import Kind, _id
from bot.importing.table import Column, Problems, Row
from handlers.rota import parse_hours, parse_weekdays
from storage import duty, roster_import
from storage.models import Role

ALL_GRIDS = ("全部", "所有", "all")
DATE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(\s.*)?$")


def _grid(text: str) -> str:
    return "all" if text.lower() in ALL_GRIDS else _id(text)


def _date(text: str) -> date:
    match = DATE.match(text.strip())
    try:
        return date(int(match[1]), int(match[2]), int(match[3])) if match else date.fromisoformat("bad")
    except ValueError:
        raise ValueError(f"日期“{text[:20]}”应写成 2026-11-03") from None


COLUMNS = (
    Column("grid", "网格编号", ("网格",), True, _grid), Column("person", "值班民警", ("值班人员", "民警编号"), True, _id),
    Column("hours", "时段", ("值班时间",), True, parse_hours), Column("weekdays", "星期", (), parse=parse_weekdays,
                                                                    empty="1234567"),
    Column("date", "日期", (), parse=_date, empty=None),
)


def check(session: Session, rows: list[Row], problems: Problems) -> None:
    grids = roster_import.existing_ids(session, "grid")
    people = roster_import.roles(session)
    for row in rows:
        grid, person = row.values.get("grid"), row.values.get("person")
        if grid and grid != "all" and grid not in grids:
            problems.add(row.line, "网格编号", f"网格“{grid}”不存在（请先导入网格）")
        if person and people.get(person) != Role.OFFICER:
            problems.add(row.line, "值班民警", f"“{person}”不是名单里的民警")


def apply(session: Session, *, rows: Sequence[dict[str, Any]], **_: Any) -> dict[str, int]:
    shifts = [{"grid_id": None if r["grid"] == "all" else r["grid"], "person_id": r["person"],
               "weekdays": r["weekdays"], "on_date": r["date"], "start_minute": r["hours"][0],
               "end_minute": r["hours"][1]} for r in rows]
    removed = duty.replace(session, shifts=shifts, from_config=False)
    return {"added": len(shifts), "updated": removed}


KIND = Kind("duty", COLUMNS, check, apply)
