"""Rosters from spreadsheets: checked whole, every bad cell named by line and column, nothing imported until
the file is clean; an imported grid works like a configured one."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import func, select

from bot.cli import main
from bot.importing import run_import
from storage.db import session as new_session
from storage.models import AuditEntry, ChatGroup, Community, Grid, GridMember, Mediator, Person, Station
from storage.sync import sync_community
from tests.factories import DIRECT, ROOT

pytestmark = pytest.mark.postgres

PEOPLE = [["编号", "姓名", "角色", "电话", "范围"],
          ["officer-9", "陈警官", "民警", "138 0000 0009", ""],
          ["duty-9", "何警官", "民警", "", "全所"],
          ["worker-9", "冯网格员", "网格员", "", ""],
          ["mediator-9", "韩调解员", "调解员", "", ""]]
STATIONS = [["派出所编号", "名称", "地址", "办公时间", "电话", "值班民警"],
            ["west", "西湖派出所", "西湖路1号", "周一至周五 9:00-17:00", "0571-11111111", "duty-9"]]
COMMUNITIES = [["社区编号", "社区名称", "派出所编号", "社区调解员", "噪音调解员", "其他调解员"],
               ["lake", "湖滨社区", "west", "mediator-9", "mediator-9", "mediator-9"]]
GRIDS = [["网格编号", "网格名称", "社区编号", "责任民警", "网格员", "楼栋", "群"],
         ["lake-1", "湖滨一网格", "lake", "officer-9", "worker-9", "1栋、2栋", "sandbox:lake-1"]]
NOW = __import__("datetime").datetime(2026, 11, 2, 1, 0, tzinfo=__import__("datetime").timezone.utc)


def xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def import_all(engine, tmp_path) -> list[str]:  # noqa: ANN001
    out = []
    for kind, rows in (("people", PEOPLE), ("stations", STATIONS), ("communities", COMMUNITIES), ("grids", GRIDS)):
        ok, lines = run_import(engine, kind=kind, path=xlsx(tmp_path / f"{kind}.xlsx", rows), dry_run=False, now=NOW)
        assert ok, lines
        out += lines
    return out


@pytest.fixture
def synced(engine, config):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        sync_community(s, config=config, now=NOW, direct=DIRECT)
        s.commit()
    return engine


def test_a_clean_roster_imports_in_order_and_is_audited(synced, tmp_path):
    lines = import_all(synced, tmp_path)
    assert lines[-1].endswith("已导入。grids: 1行，新增1，更新0")
    with new_session(synced) as s:
        assert s.get(Station, "west").duty_officer_id == "duty-9"
        assert s.get(Community, "lake").station_id == "west" and s.get(Mediator, ("lake", "noise")).person_id == "mediator-9"
        grid = s.get(Grid, "lake-1")
        assert (grid.community_id, grid.officer_id, grid.buildings) == ("lake", "officer-9", ["1栋", "2栋"])
        assert {(m.person_id, m.duty) for m in s.exec(select(GridMember).where(GridMember.grid_id == "lake-1"))} == {
            ("officer-9", "officer"), ("worker-9", "worker")}
        assert s.exec(select(ChatGroup).where(ChatGroup.chat_id == "lake-1")).one().grid_id == "lake-1"
        assert s.get(Person, "officer-9").phone == "13800000009" and s.get(Person, "duty-9").scope == "station"
        assert len(s.exec(select(AuditEntry).where(AuditEntry.action.like("import_%"))).all()) == 4


async def test_an_imported_grid_routes_to_its_own_officer_mediator_and_station(bot, engine, tmp_path):
    import_all(engine, tmp_path)
    sent = await bot.talk("lake-1", "resident-1", "楼上天天半夜吵 睡不着 1栋302")
    to = {m["chat_id"] for m in sent}
    assert {"lake-1", "officer-9", "mediator-9"} <= to and "officer-2" not in to
    sent = await bot.talk("lake-1", "resident-2", "救命 楼道里着火了 好大的烟")
    assert {"officer-9", "duty-9"} <= {m["chat_id"] for m in sent}


@pytest.mark.parametrize("rows, expected", [
    ([["编号", "姓名", "角色"], ["a 1", "张三", "民警"], ["b", "", "民警"], ["c", "李四", "厨师"]],
     ["第2行 编号：编号“a 1”只能用", "第3行 姓名：不能为空", "第4行 角色：角色“厨师”不认识"]),
    ([["编号", "姓名"], ["a", "张三"]], ["第1行 角色：缺少这一列"]),
    ([["编号", "姓名", "角色", "颜色"], ["a", "张三", "民警", "蓝"]], ["第1行 颜色：不认识的列"]),
    ([["编号", "姓名", "角色"], ["a", "张三", "民警"], ["a", "张三", "民警"]], ["第3行 编号：编号“a”与第2行重复"]),
])
def test_every_bad_cell_is_reported_and_nothing_is_imported(synced, tmp_path, rows, expected):
    with new_session(synced) as s:
        before = s.exec(select(func.count()).select_from(Person)).one()
    ok, lines = run_import(synced, kind="people", path=xlsx(tmp_path / "p.xlsx", rows), dry_run=False, now=NOW)
    assert not ok and lines[-1].endswith("未导入任何数据。请改正后重新导入。")
    for want in expected:
        assert any(want in line for line in lines), (want, lines)
    with new_session(synced) as s:
        assert s.exec(select(func.count()).select_from(Person)).one() == before


def test_references_must_exist_and_fit(synced, tmp_path):
    import_all(synced, tmp_path)
    rows = [GRIDS[0], ["x-1", "X", "nowhere", "worker-9", "officer-9、ghost", "", "fax:1"]]
    ok, lines = run_import(synced, kind="grids", path=xlsx(tmp_path / "g.xlsx", rows), dry_run=False, now=NOW)
    assert not ok
    text = "\n".join(lines)
    assert "第2行 群：群“fax:1”应写成 渠道:群号" in text  # cell errors come first, then references once clean
    rows[1][-1] = ""
    ok, lines = run_import(synced, kind="grids", path=xlsx(tmp_path / "g.xlsx", rows), dry_run=False, now=NOW)
    text = "\n".join(lines)
    assert not ok and "社区“nowhere”不存在" in text and "“worker-9”不是名单里的民警" in text and "“ghost”不是名单里的网格员" in text


def test_dry_run_writes_nothing_and_csv_in_gb18030_reads(synced, tmp_path):
    path = tmp_path / "people.csv"
    with open(path, "w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows(PEOPLE)
    ok, lines = run_import(synced, kind="people", path=path, dry_run=True, now=NOW)
    assert ok and "试运行，未写入" in lines[0] and "新增4" in lines[0]
    with new_session(synced) as s:
        assert s.get(Person, "officer-9") is None


def test_cli_import_exits_2_on_a_bad_file(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text((ROOT / "config.toml").read_text(encoding="utf-8").replace(
        'url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'), encoding="utf-8")
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    bad = xlsx(tmp_path / "bad.xlsx", [["编号", "姓名", "角色"], ["", "张三", "民警"]])
    assert main(["import", "people", str(bad), "--config", str(config)]) == 2
    assert "第2行 编号：不能为空" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("hello")
    assert main(["import", "people", str(tmp_path / "notes.txt"), "--config", str(config)]) == 2
    assert "只支持 .xlsx 或 .csv 文件" in capsys.readouterr().err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), max_size=6))
def test_any_csv_gives_a_clean_answer(tmp_path, rows):
    """Whatever a spreadsheet holds, the checker answers ok or with problems; it never crashes."""
    from bot.importing.rosters import KINDS
    from bot.importing.table import BadFile, Problems, read_table

    path = tmp_path / "any.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    problems = Problems()
    try:
        read_table(path, KINDS["people"].columns, problems)
    except BadFile:
        return
    assert all(isinstance(line, str) and line for line in problems.lines)
