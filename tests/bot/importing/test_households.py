"""The household sheet: the demo file in the repo imports clean; a bad file is refused with every problem named
by line and column, and nothing is imported; a re-import updates residents and retires the ones gone."""
from __future__ import annotations

import csv
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from bot.cli import main
from bot.importing import run_import
from storage.db import session as new_session
from storage.models import AuditEntry, Household, Person, Resident
from storage.sync import sync_community
from tests.factories import DIRECT, ROOT
from tests.handlers.households.demo_roster import DEMO_XLSX, HEADER, ROWS, write_xlsx

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def synced(engine, config):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        sync_community(s, config=config, now=NOW, direct=DIRECT)
        s.commit()
    return engine


def counts(engine) -> tuple[int, int]:  # noqa: ANN001
    with new_session(engine) as s:
        return (s.exec(select(func.count()).select_from(Household)).one(),
                s.exec(select(func.count()).select_from(Resident)).one())


def import_rows(engine, tmp_path, rows: list[list[str]]) -> tuple[bool, list[str]]:  # noqa: ANN001
    return run_import(engine, kind="households", path=write_xlsx(tmp_path / "h.xlsx", rows), dry_run=False, now=NOW)


def test_the_committed_demo_file_holds_the_demo_rows():
    sheet = load_workbook(DEMO_XLSX, read_only=True).worksheets[0]
    assert [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)] == [HEADER, *ROWS]


def test_the_demo_roster_imports_with_flags_caretakers_wechat_and_schedules(synced):
    ok, lines = run_import(synced, kind="households", path=DEMO_XLSX, dry_run=False, now=NOW)
    assert ok and lines[0].endswith("已导入。households: 10行，新增10，更新0"), lines
    assert counts(synced) == (9, 10)
    with new_session(synced) as s:
        wang = s.exec(select(Resident).where(Resident.name == "王秀英")).one()
        assert (wang.flags, wang.caretaker_id, wang.person_id, wang.checkin_days, wang.checkin_time) == (
            ["alone_elderly"], "worker-1", "resident-wang", "daily", "09:00")
        assert s.get(Person, "resident-wang").grid_id == "grid-1" and s.get(Person, "resident-wang").role == "resident"
        li = s.exec(select(Resident).where(Resident.name == "李建国")).one()
        assert (li.flags, li.person_id, li.checkin_days, li.checkin_wait_hours) == (
            ["alone_elderly", "disabled"], None, "1,3,5", 2)
        child = s.exec(select(Resident).where(Resident.name == "陈小雨")).one()
        assert (child.flags, child.checkin_days) == (["left_behind_child"], "")
        assert s.get(Household, "g1-0302").phone == "057100001302"
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "import_households")).one()


@pytest.mark.parametrize("row, expected", [
    (["g1-x", "grid-9", "1栋", "", "甲", "", "", "", "", "", "", "", "", ""], "第2行 网格编号：网格“grid-9”不存在"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "孤寡", "", "", "", "", "", ""], "第2行 标签：标签“孤寡”不认识"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "ghost", "", "", "", "", ""], "第2行 照护人：“ghost”不在人员名单里"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "", "fax:1", "", "", "", ""], "第2行 微信：微信“fax:1”应写成 渠道:账号"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "", "sandbox:officer-1", "", "", "", ""], "第2行 微信：这个账号属于民警张警官"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "", "", "周八", "", "", ""], "第2行 探访：探访日“周八”看不懂"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "", "", "", "25:00", "", ""], "第2行 探访时间：探访时间“25:00”应写成 09:00"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "", "worker-1", "", "", "", "99", ""], "第2行 等待小时：等待小时“99”应是1到24的整数"),
    (["g1-x", "grid-1", "1栋", "", "甲", "", "", "独居老人", "", "", "", "", "", ""], "第2行 照护人：没有微信的居民需要探访时，必须填写照护人"),
    (["", "grid-1", "", "", "甲", "", "", "", "", "", "", "", "", ""], "第2行 户编号：不能为空"),
])
def test_each_kind_of_bad_cell_is_named_and_nothing_is_imported(synced, tmp_path, row, expected):
    ok, lines = run_import(synced, kind="households", path=write_xlsx(tmp_path / "h.xlsx", [ROWS[0], row]),
                           dry_run=False, now=NOW)
    assert not ok and lines[-1].endswith("未导入任何数据。请改正后重新导入。")
    assert any(expected.replace("第2行", "第3行") in line for line in lines), lines
    assert counts(synced) == (0, 0)


def test_every_error_of_a_file_is_listed_at_once(synced, tmp_path):
    rows = [ROWS[0], ["g1-0101", "grid-2", "别处", "", "王秀英", "", "", "", "", "", "", "", "", ""],
            ["g1-y", "grid-1", "2栋", "", "乙", "", "12ab", "残障", "", "", "", "", "", ""]]
    ok, lines = import_rows(synced, tmp_path, rows)
    assert not ok
    text = "\n".join(lines)
    assert "第4行 电话：电话“12ab”不是号码" in text and "第4行 标签：标签“残障”不认识" in text
    assert "共2处问题" in text  # cell errors first; the cross-row checks run once the cells are clean
    rows[2] = ["g1-y", "grid-1", "2栋", "", "乙", "", "", "残疾", "", "", "", "", "", ""]
    ok, lines = import_rows(synced, tmp_path, rows)
    text = "\n".join(lines)
    assert not ok and "第3行 网格编号：与第2行同一户“g1-0101”的网格编号不一致" in text
    assert "第3行 地址：与第2行同一户“g1-0101”的地址不一致" in text and "第3行 姓名：“王秀英”在户“g1-0101”里与第2行重复" in text
    assert counts(synced) == (0, 0)


def test_dry_run_and_a_gb18030_csv(synced, tmp_path):
    path = tmp_path / "households.csv"
    with open(path, "w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *ROWS])
    ok, lines = run_import(synced, kind="households", path=path, dry_run=True, now=NOW)
    assert ok and "试运行，未写入" in lines[0] and "新增10" in lines[0]
    assert counts(synced) == (0, 0)


def test_a_reimport_updates_and_retires_residents_no_longer_listed(synced, tmp_path):
    run_import(synced, kind="households", path=DEMO_XLSX, dry_run=False, now=NOW)
    with new_session(synced) as s:
        wang = s.exec(select(Resident).where(Resident.name == "王秀英")).one()
        wang.next_checkin_at = NOW
        s.add(wang)
        s.commit()
    rows = [r for r in ROWS if r[4] != "陈小雨"]
    rows[0] = [*rows[0][:10], "周一", *rows[0][11:]]
    ok, lines = import_rows(synced, tmp_path, rows)
    assert ok and "新增0，更新9" in lines[0], lines
    with new_session(synced) as s:
        wang = s.exec(select(Resident).where(Resident.name == "王秀英")).one()
        assert (wang.checkin_days, wang.next_checkin_at) == ("1", None)  # a new schedule is computed afresh
        assert s.exec(select(Resident).where(Resident.name == "陈小雨")).one().active is False


def test_cli_refuses_a_bad_household_file(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text((ROOT / "config.toml").read_text(encoding="utf-8").replace(
        'url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'), encoding="utf-8")
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    bad = write_xlsx(tmp_path / "bad.xlsx", [["g1-x", "grid-1", "1栋", "", "甲", "", "", "孤寡", "", "", "", "", "", ""]])
    assert main(["import", "households", str(bad), "--config", str(config)]) == 2
    assert "第2行 标签：标签“孤寡”不认识" in capsys.readouterr().err
    assert main(["import", "households", str(DEMO_XLSX), "--config", str(config), "--dry-run"]) == 0
    assert "检查通过" in capsys.readouterr().out
