"""Retention: after [privacy] retain_message_days the residents' words (message text, media, the texts the bot
sent) are purged and the case record is kept; a dry run only counts; newer messages and files still in use stay."""
from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.keys import CLOCK, CONFIG, ENGINE
from handlers import retention
from handlers.cases.page import case_page
from handlers.dispatch import build_routes
from storage.db import session
from storage.models import Case, Media, Message, Outbox, Person
from tests.fakes.images import make_png

pytestmark = pytest.mark.postgres

NOISE = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话13812345678"
SCREENSHOT = "【京东客服】您好，您开通了百万保障，不关闭每月扣费800元，请下载会议软件共享屏幕处理 www.jd-tk.cn"


def _purge(bot, *, dry_run: bool = False, days: int = 180) -> retention.Purged:  # noqa: ANN001
    with session(bot.app[ENGINE]) as s:
        done = retention.purge(s, now=bot.app[CLOCK].now(), days=days, dry_run=dry_run, batch=2)
        s.commit()
    return done


def _texts(bot) -> tuple[list[str], list[str]]:  # noqa: ANN001
    with session(bot.app[ENGINE]) as s:
        return ([m.text for m in s.exec(select(Message).order_by(Message.id))],
                [o.text for o in s.exec(select(Outbox).order_by(Outbox.id))])


async def test_old_message_text_is_purged_and_the_case_is_kept(bot):
    await bot.talk("grid-2", "resident-7", NOISE)
    bot.app[CLOCK].advance(timedelta(days=181))
    await bot.talk("grid-1", "resident-2", "请问办理居住证需要什么材料")
    before_messages, _ = _texts(bot)
    done = _purge(bot)
    assert done.messages == 1 and done.outbox >= 2  # the case card, the acknowledgement …
    messages, outbox = _texts(bot)
    assert messages == ["", before_messages[1]]
    assert not any("蹦迪" in t for t in outbox)
    _, cases = await bot.api("/api/cases")
    noise = next(c for c in cases if c["grid_id"] == "grid-2")
    assert "蹦迪" in noise["text"] and noise["status"]  # the case record is kept
    with session(bot.app[ENGINE]) as s:
        case = s.get(Case, noise["id"])
        page = case_page(s, config=bot.app[CONFIG], person=s.get(Person, "officer-2"), case=case,
                         routes=build_routes())
        assert [text for _, _, text in page.originals] == ["（已超过保存期限，原话已清除）"]
    assert _purge(bot).total == 0  # a second run finds nothing


async def test_a_dry_run_counts_and_changes_nothing(bot):
    await bot.talk("grid-2", "resident-7", NOISE)
    bot.app[CLOCK].advance(timedelta(days=200))
    before = _texts(bot)
    done = _purge(bot, dry_run=True)
    assert done.messages == 1 and done.outbox >= 1 and done.files == []
    assert _texts(bot) == before


async def test_nothing_is_purged_within_the_window_or_when_retention_is_off(bot):
    await bot.talk("grid-2", "resident-7", NOISE)
    bot.app[CLOCK].advance(timedelta(days=179))
    assert _purge(bot).total == 0
    bot.app[CLOCK].advance(timedelta(days=400))
    assert _purge(bot, days=0).total == 0
    assert NOISE in _texts(bot)[0]


async def test_old_media_are_purged_and_their_file_deleted_unless_still_used(bot, image_reader):
    png = image_reader.reads(make_png(320, 240), SCREENSHOT)
    body = {"group_id": "grid-1", "sender_id": "resident-3", "image_base64": base64.b64encode(png).decode()}
    await bot.send_and_step(body)
    root = Path(bot.app[CONFIG].media.root)
    with session(bot.app[ENGINE]) as s:
        key = s.exec(select(Media.store_key)).one()
    assert (root / key).exists()
    bot.app[CLOCK].advance(timedelta(days=100))
    await bot.send_and_step({**body, "sender_id": "resident-4"})  # the same picture, newer: shares the file
    bot.app[CLOCK].advance(timedelta(days=100))
    done = _purge(bot)
    assert done.media == 1 and done.files == []  # the newer copy still needs the file
    bot.app[CLOCK].advance(timedelta(days=100))
    done = _purge(bot)
    assert done.media == 1 and done.files == [key]
    with session(bot.app[ENGINE]) as s:
        rows = s.exec(select(Media)).all()
        assert all(r.state == "purged" and r.recognized_text == "" and not r.inline_data for r in rows)
