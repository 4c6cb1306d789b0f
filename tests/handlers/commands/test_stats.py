"""/stats [GRID] [PERIOD]: the period stated, each kind's rates, reopened cases once."""
from __future__ import annotations

import pytest


async def _dispute(bot, chat="grid-2", sender="resident-7", text="楼上天天半夜吵 蹦迪一样 睡不着") -> None:  # noqa: ANN001
    await bot.talk(chat, sender, text)


async def test_stats_state_the_period_and_each_kinds_rates(bot):
    await _dispute(bot)
    await bot.talk("grid-2", "resident-8", "有人在群里发刷单返利的广告，说日赚三百，先垫付")
    await bot.talk("officer-2", "officer-2", "/resolve 1 已调解", direct=True)
    await bot.talk("officer-2", "officer-2", "/reopen 1 又吵了", direct=True)
    await bot.talk("officer-2", "officer-2", "/resolve 1 再次调解", direct=True)
    sent = await bot.talk("officer-2", "officer-2", "/stats grid-2 本月", direct=True)
    text = sent[0]["text"]
    assert "2026-11-01 至 2026-11-30" in text and "共2件" in text
    assert "矛盾纠纷：1件（已化解1）化解率100%（1/1）" in text and "反诈预警：1件" in text
    assert "其中1件曾重新打开，每件只计一次" in text


@pytest.mark.parametrize("args, expected", [
    ("上月", "2026-10-01 至 2026-10-31登记）：共0件"), ("grid-2 2026-11", "共1件"), ("2026-11-01..2026-11-02", "共1件"),
    ("grid-2 明年", "看不懂期间“明年”"), ("grid-9", "没有编号为 grid-9 的网格"), ("grid-2 本月 多余", "看不懂期间"),
])
async def test_stats_arguments(bot, args, expected):
    await _dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/stats {args}", direct=True)
    assert expected in sent[0]["text"]
