"""GET /metrics: Prometheus text with the inbox lag and the outbox backlog by channel."""
from __future__ import annotations

import pytest

from bot.keys import ENGINE, PIPELINE

pytestmark = pytest.mark.postgres


async def test_metrics_show_the_backlogs(bot, clock):
    await bot.say("grid-2", "resident-7", "楼上天天半夜吵 睡不着")
    clock.advance(seconds=30)
    resp = await bot.client.get("/metrics")
    text = await resp.text()
    assert resp.status == 200 and resp.content_type == "text/plain"
    assert "gridbot_inbox_pending 1" in text and "gridbot_inbox_lag_seconds 30.0" in text
    await bot.app[PIPELINE].run_once()
    text = await (await bot.client.get("/metrics")).text()
    assert "gridbot_inbox_pending 0" in text
    assert 'gridbot_outbox_rows{channel="sandbox",status="pending"} 3' in text


async def test_parked_message_counts_as_parked_not_as_lag(bot, clock):
    from tests.handlers.routines.test_digest import add_parked_message

    add_parked_message(bot.app[ENGINE], now=clock.now(), text="楼上天天半夜吵")
    clock.advance(hours=3)
    text = await (await bot.client.get("/metrics")).text()
    assert "gridbot_inbox_parked 1" in text and "gridbot_inbox_pending 0" in text
    assert "gridbot_inbox_lag_seconds 0" in text
