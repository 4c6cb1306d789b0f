"""/scamword: officers teach the classifier a new scam phrase at run time (stored, audited)."""
from __future__ import annotations

from sqlmodel import select

from handlers import texts
from handlers.context import Context
from handlers.roles import OFFICERS
from handlers.router import Router
from storage.models import AuditEntry, ScamWord

router = Router("scamwords")
USAGE = "/scamword add 词语 | /scamword remove 词语 | /scamword list"


@router.command("scamword", usage=USAGE, summary="增删反诈识别词，下一条消息即生效", roles=OFFICERS)
def on_scamword(ctx: Context) -> None:
    call = ctx.call
    parts = call.split(1)
    action = parts[0].lower() if parts else ""
    word = parts[1].strip() if len(parts) > 1 else ""
    if action in ("list", "列表"):
        words = ctx.session.exec(select(ScamWord.word).order_by(ScamWord.id)).all()
        ctx.reply(texts.SCAMWORD_LIST.format(words="、".join(words) or "（无）"))
        return
    if action not in ("add", "remove", "添加", "删除") or not 2 <= len(word) <= 30:
        ctx.reply(texts.BAD_USAGE.format(usage=USAGE))
        return
    existing = ctx.session.exec(select(ScamWord).where(ScamWord.word == word)).first()
    if action in ("add", "添加"):
        if existing is None:
            ctx.session.add(ScamWord(word=word, added_by=ctx.sender.id, added_at=ctx.now))
            ctx.classifier.add_scam_words([word])
        ctx.reply(texts.SCAMWORD_ADDED.format(word=word))
    else:
        if existing is not None:
            ctx.session.delete(existing)
            ctx.classifier.remove_scam_words([word])
        ctx.reply(texts.SCAMWORD_REMOVED.format(word=word))
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action=f"scamword_{action}", detail=word))
