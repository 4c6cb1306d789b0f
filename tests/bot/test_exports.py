"""Ledgers and exports: `gridbot export KIND --from --to [--grid] --format xlsx|csv`, and the console's download.
The xlsx opens with Chinese headers, a frozen header row, fitted widths and masked personal data."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from bot.exporting import display_width
from handlers.exports.registry import KINDS
from storage import migrate
from storage.db import make_engine
from tests.bot.web.console_kit import give_password, sign_in
from tests.factories import ROOT

LEDGER = ["编号", "登记日期", "网格", "当事人", "纠纷类型", "简要情况", "分流/调解人", "化解结果", "化解日期", "回访日期",
          "回访结果/满意度", "调解文书"]


def test_every_kind_of_the_contract_is_registered():
    assert {"dispute-ledger", "cases", "broadcasts", "fraud-alerts"} <= set(KINDS)
    for kind in KINDS.values():
        assert kind.title and all(c.header for c in kind.columns)


def test_formula_like_texts_stay_text(tmp_path):
    from bot.exporting import csv_safe, write_xlsx

    assert [csv_safe(v) for v in ("=HYPERLINK(\"x\")", "+1", "正常", 5)] == ["'=HYPERLINK(\"x\")", "'+1", "正常", 5]
    kind = KINDS["cases"]
    row = ("=1+1",) + ("",) * (len(kind.columns) - 1)
    write_xlsx(kind, [row], tmp_path / "f.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "f.xlsx").active["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s", "written as a string, not a formula"


def test_display_width_counts_chinese_as_two():
    assert [display_width(v) for v in ("abc", "网格", "8栋2单元")] == [3, 4, 8]


async def test_the_ledger_of_a_month_in_the_console_and_its_columns(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话13912345678")
    await bot.talk("grid-1", "resident-1", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    await bot.talk("officer-2", "officer-2", "/resolve 1 双方约定晚十点后不放音乐", direct=True)
    from bot.keys import ENGINE
    give_password(bot.app[ENGINE], "duty-1")
    await sign_in(bot.client, "duty-1")
    resp = await bot.client.get("/console/exports/dispute-ledger.xlsx?since=2026-11-01&until=2026-11-30")
    assert resp.status == 200 and "attachment" in resp.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(await resp.read()))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "矛盾纠纷排查化解台账" and list(rows[0]) == LEDGER and sheet.freeze_panes == "A2"
    assert len(rows) == 3
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[1][1] == "2026-11-02" and by_id[1][2] == "第二网格（7-12栋）" and by_id[1][4] == "噪音扰民"
    assert by_id[1][3] == "r**" and "139****5678" in by_id[1][5] and "13912345678" not in str(rows)
    assert by_id[1][6] == "李警官/刘管家" and by_id[1][7] == "双方约定晚十点后不放音乐" and by_id[1][8] == "2026-11-02"
    assert sheet.column_dimensions["F"].width >= 40, "widths fit the text"
    resp = await bot.client.get("/console/exports/dispute-ledger.csv?since=2026-11-01&until=2026-11-30&grid_id=grid-1")
    text = (await resp.read()).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == LEDGER and [r[2] for r in table[1:]] == ["第一网格（1-6栋）"]


async def test_an_officer_exports_only_their_grids(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    from bot.keys import ENGINE
    give_password(bot.app[ENGINE], "officer-1")
    await sign_in(bot.client, "officer-1")
    for query in ("", "&grid_id=grid-2"):
        resp = await bot.client.get(f"/console/exports/cases.xlsx?since=2026-11-01&until=2026-11-30{query}")
        rows = list(openpyxl.load_workbook(io.BytesIO(await resp.read())).active.iter_rows(values_only=True))
        assert len(rows) == 1, "only the header: grid 2 is not officer 1's"
    assert (await bot.client.get("/console/exports/nothing.xlsx")).status == 404


@pytest.fixture
def demo_config(tmp_path) -> Path:  # noqa: ANN001
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    return path


def test_cli_export_every_kind_in_both_formats(demo_config, tmp_path, capsys):
    assert main(["db", "upgrade", "--config", str(demo_config)]) == 0
    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    from bench.export_bench import seed
    from bot.app import sync_roster

    sync_roster(engine, __import__("bot.config", fromlist=["load_config"]).load_config(demo_config, environ={}))
    seed(engine, cases=40, month=(2026, 11))
    engine.dispose()
    for kind in ("dispute-ledger", "cases", "broadcasts", "fraud-alerts"):
        for fmt in ("xlsx", "csv"):
            out = tmp_path / f"{kind}.{fmt}"
            assert main(["export", kind, "--from", "2026-11-01", "--to", "2026-11-30", "--format", fmt,
                         "--output", str(out), "--config", str(demo_config)]) == 0
            assert out.stat().st_size > 0
    said = capsys.readouterr().out
    assert "rows (矛盾纠纷排查化解台账)" in said
    rows = list(openpyxl.load_workbook(tmp_path / "cases.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 41
    assert main(["export", "cases", "--grid", "grid-1", "--output", str(tmp_path / "g1.csv"), "--format", "csv",
                 "--config", str(demo_config)]) == 0
    grid_rows = list(csv.reader(io.StringIO((tmp_path / "g1.csv").read_text(encoding="utf-8-sig"))))
    assert 1 < len(grid_rows) < 41 and all(r[3] == "第一网格（1-6栋）" for r in grid_rows[1:])


def test_cli_export_refuses_bad_arguments(demo_config, capsys):
    assert main(["db", "upgrade", "--config", str(demo_config)]) == 0
    assert main(["export", "cases", "--grid", "grid-9", "--config", str(demo_config)]) == 2
    assert "unknown grid" in capsys.readouterr().err
    assert main(["export", "cases", "--from", "2026-11-30", "--to", "2026-11-01", "--config", str(demo_config)]) == 2
    assert migrate.head()
