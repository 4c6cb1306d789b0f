"""The retention purge as a scheduled job: daily at [privacy] purge_time, exactly once across two schedulers,
driven by the fake clock; it deletes the media files no row needs any more."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlmodel import select

from bot.keys import CONFIG, ENGINE, SCHEDULER
from bot.scheduling.scheduler import Scheduler
from storage.db import session
from storage.models import Media, Message
from tests.bot.scheduling.test_scheduler_support import local, tick
from tests.fakes.images import make_png

pytestmark = pytest.mark.postgres


@pytest.fixture
def clock():  # noqa: ANN201
    from tests.fakes.clock import FakeClock

    return FakeClock(local(2026, 11, 2, 9, 0))


def _purges(outcomes) -> list[tuple]:  # noqa: ANN001
    return [(o.scheduled_for, o.status, o.count) for o in outcomes if o.job_id == "privacy:purge"]


async def test_the_daily_purge_runs_once_at_its_time_and_deletes_old_words(bot, clock, image_reader):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    png = image_reader.reads(make_png(200, 100), "【京东客服】您开通了百万保障，请下载会议软件共享屏幕处理")
    await bot.send_and_step({"group_id": "grid-1", "sender_id": "resident-3",
                             "image_base64": base64.b64encode(png).decode()})
    with session(bot.app[ENGINE]) as s:
        key = s.exec(select(Media.store_key)).one()
    stored = Path(bot.app[CONFIG].media.root) / key
    assert stored.exists()
    assert _purges(await tick(bot)) == []  # nothing owed at start
    clock.set(local(2027, 5, 3, 3, 0))  # 182 days later: the missed days coalesce into the latest fire (2 May)
    runs = _purges(await tick(bot))
    assert [(when, status) for when, status, _ in runs] == [(local(2027, 5, 2, 3, 30), "done")] and runs[0][2] > 0
    other = Scheduler(engine=bot.app[ENGINE], executor=None, config=bot.app[CONFIG], clock=clock)
    clock.set(local(2027, 5, 3, 3, 30))
    stale = [(when, job) for when, job in other.due(clock.now()) if job.id == "privacy:purge"]
    assert [(when, status, count) for when, status, count in _purges(await tick(bot))] == [
        (local(2027, 5, 3, 3, 30), "done", 0)]  # today's fire: nothing left to purge
    assert {other.fire(job, when, now=clock.now()).status for when, job in stale} == {"taken"}
    assert _purges(await bot.app[SCHEDULER].run_due()) == []
    with session(bot.app[ENGINE]) as s:
        assert [m.text for m in s.exec(select(Message))] == ["", ""]
    assert not stored.exists()
