"""The statements that handling runs are narrowed by an index: on SQLite none of them plans a scan of a whole
message, outbox, case or case-event table (which would grow with every day of history; bench/history_bench.py
measures the cost at 10,000 and at 100,000+ stored messages)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from bench.history_bench import scanning

MESSAGES = [
    ("grid-1", "resident-1", "大家早上好"),
    ("grid-1", "resident-1", "请问办居住证要带什么材料"),
    ("grid-2", "resident-7", "楼上天天半夜装修吵得睡不着 8栋2单元"),
    ("grid-2", "resident-8", "楼上8栋2单元又在半夜装修"),  # the same incident: linked
    ("grid-1", "resident-2", "有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕"),
    ("grid-1", "resident-3", "救命 楼道里着火了 好大的烟"),
    ("grid-1", "resident-1", "我上次反映的问题怎么样了"),
]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_handling_never_scans_a_table_that_grows_with_history(bot, engine, clock):
    statements: set[str] = set()
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, stmt, params, context, many: statements.add(stmt))
    for chat, sender, text in MESSAGES:
        await bot.talk(chat, sender, text)
    await bot.talk("officer-2", "officer-2", "/mine", direct=True)
    for minutes in (11, 30, 24 * 60):  # the timers: unacknowledged help, reminders, follow-ups
        clock.advance(minutes=minutes)
        await bot.tick()
    assert len(statements) > 20  # the handling really ran through the database
    assert scanning(engine, statements) == set()



def _reports_on_history(tmp_path, old: int) -> tuple[dict[str, int], set[str], object]:  # noqa: ANN001
    """Rows fetched by each report (/stats, the digests, the agenda draft and page) on 400 recent cases and ``old``
    older ones, and the statements they ran."""
    from bench.stats_bench import operations, seeded, sqlite_engine
    from storage.db import session as new_session
    from tests.factories import make_config

    config = make_config()
    engine, fetched = sqlite_engine(str(tmp_path / f"history-{old}.db"))
    seeded(engine, config, 400 + old, recent=400)
    statements: set[str] = set()
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, stmt, params, context, many: statements.add(stmt))
    rows = {}
    for name, work in operations(config).items():
        with new_session(engine) as session:
            before = fetched()
            work(session)
            rows[name] = fetched() - before
    return rows, statements, engine


def test_reports_fetch_as_many_rows_whatever_the_history(tmp_path):
    """The same recent cases on 200 and on 5,600 older ones: every report fetches the same rows (aggregates, and
    listings with a LIMIT), and none of their statements plans a scan of a whole big table."""
    small, _, _ = _reports_on_history(tmp_path, 200)
    large, statements, engine = _reports_on_history(tmp_path, 5_600)
    assert large == small and all(n > 0 for n in small.values())
    assert len(statements) > 20
    assert scanning(engine, statements) == set()
    engine.dispose()
