"""/scamword: an officer teaches the classifier a new scam phrase; it is stored, audited and used at once."""
from __future__ import annotations

from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session
from storage.models import AuditEntry, ScamWord

NEW_SCRIPT = "有人在群里说星光宝盒很火 大家听说过吗"


async def test_added_scam_word_makes_the_next_message_fraud(bot):
    assert await bot.talk("grid-1", "resident-1", NEW_SCRIPT) == []  # unknown script: chatter, silence
    sent = await bot.talk("officer-1", "officer-1", "/反诈词 add 星光宝盒", direct=True)
    assert "星光宝盒" in sent[0]["text"]
    sent = await bot.talk("grid-1", "resident-1", NEW_SCRIPT + "，真的假的")
    assert any("96110" in m["text"] for m in sent if m["chat_id"] == "grid-1")
    with session(bot.app[ENGINE]) as s:
        assert [w.word for w in s.exec(select(ScamWord)).all()] == ["星光宝盒"]
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "scamword_add")).one()
        assert audit.actor_id == "officer-1"


async def test_resident_cannot_add_scam_words_and_bad_usage_is_explained(bot):
    sent = await bot.talk("grid-1", "resident-1", "/scamword add 养鸡")
    assert "只有" in sent[0]["text"]
    sent = await bot.talk("officer-1", "officer-1", "/scamword frob", direct=True)
    assert sent[0]["text"].startswith("用法：")
    with session(bot.app[ENGINE]) as s:
        assert s.exec(select(ScamWord)).all() == []


async def test_removed_word_no_longer_counts(bot):
    await bot.talk("officer-1", "officer-1", "/scamword add 星光宝盒", direct=True)
    await bot.talk("officer-1", "officer-1", "/scamword remove 星光宝盒", direct=True)
    assert await bot.talk("grid-1", "resident-1", NEW_SCRIPT) == []
    sent = await bot.talk("officer-1", "officer-1", "/scamword list", direct=True)
    assert "（无）" in sent[0]["text"]
