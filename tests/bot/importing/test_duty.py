"""`gridbot import duty FILE`: the rota from a spreadsheet, bad rows named by line and column, nothing imported
until the file is clean; an imported shift pages its officer like a configured one; a new import replaces it."""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from bot.importing import run_import
from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import DutyShift
from tests.bot.importing.test_rosters import xlsx

pytestmark = pytest.mark.postgres

NIGHT = datetime(2026, 11, 2, 19, 0, tzinfo=timezone.utc)  # 03:00 on Tuesday 3 November in Shanghai
HEADER = ["网格编号", "值班民警", "时段", "星期", "日期"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize(("rows", "expected"), [
    ([["grid-1", "officer-2", "22:00-08:00", "一至五", ""], ["grid-2", "officer-3", "夜里", "八", "明天"]],
     ["第3行 时段：", "第3行 星期：", "第3行 日期："]),
    ([["grid-1", "officer-2", "22:00-08:00", "一至五", ""], ["grid-9", "officer-2", "22:00-08:00", "", ""],
      ["grid-1", "worker-1", "08:00-18:00", "", ""]],
     ["第3行 网格编号：网格“grid-9”不存在", "第4行 值班民警：“worker-1”不是名单里的民警"]),
])
async def test_bad_rows_are_named_by_line_and_nothing_is_imported(bot, tmp_path, rows, expected):
    path = write_csv(tmp_path / "duty.csv", [HEADER, *rows])
    ok, lines = run_import(bot.app[ENGINE], kind="duty", path=path, dry_run=False, now=NIGHT)
    assert not ok
    text = "\n".join(lines)
    assert all(part in text for part in expected), text
    assert f"共{len(expected)}处问题，未导入任何数据" in text
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(DutyShift).where(DutyShift.from_config.is_(False))).all() == []


async def test_an_imported_night_shift_pages_its_officer_and_a_new_import_replaces_it(bot, clock, tmp_path):
    path = xlsx(tmp_path / "duty.xlsx", [HEADER, ["grid-1", "officer-3", "22:00-08:00", "每天", ""]])
    ok, lines = run_import(bot.app[ENGINE], kind="duty", path=path, dry_run=False, now=NIGHT)
    assert ok, lines
    clock.set(NIGHT)
    sent = await bot.talk("grid-1", "resident-1", "我妈在家摔倒了起不来 快来人")
    assert sorted(m["chat_id"] for m in sent if m["chat_id"] != "grid-1") == ["duty-1", "officer-1", "officer-3"]
    path = write_csv(tmp_path / "next.csv", [HEADER, ["全部", "officer-2", "00:00-24:00", "", "2026-11-03"]])
    ok, lines = run_import(bot.app[ENGINE], kind="duty", path=path, dry_run=False, now=NIGHT)
    assert ok, lines
    with new_session(bot.app[ENGINE]) as session:
        shifts = session.exec(select(DutyShift).where(DutyShift.from_config.is_(False))).all()
        assert [(s.grid_id, s.person_id, str(s.on_date)) for s in shifts] == [(None, "officer-2", "2026-11-03")]
    sent = await bot.talk("grid-3", "resident-5", "快来人 家里着火了")
    assert "officer-2" in {m["chat_id"] for m in sent} and "officer-3" in {m["chat_id"] for m in sent}
