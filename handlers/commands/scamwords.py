"""/scamword: officers teach the classifier a new scam phrase at run time (stored, audited)."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.roles import OFFICERS
from handlers.router import Router
from storage import scam_words
from storage.models import AuditEntry

router = Router("scamwords")
USAGE = "/scamword add 词语 | /scamword remove 词语 | /scamword list"
ACTIONS = {"add": "add", "添加": "add", "remove": "remove", "删除": "remove", "list": "list", "列表": "list"}


@router.command("scamword", usage=USAGE, summary="增删反诈识别词，下一条消息即生效", roles=OFFICERS)
def on_scamword(ctx: Context) -> None:
    call = ctx.call
    parts = call.split(1)
    action = ACTIONS.get(parts[0].lower()) if parts else None
    word = parts[1].strip() if len(parts) > 1 else ""
    if action == "list":
        ctx.reply(texts.SCAMWORD_LIST.format(words="、".join(scam_words.all_words(ctx.session)) or texts.NONE_LISTED))
        return
    if action is None or not 2 <= len(word) <= 30:
        ctx.reply(texts.BAD_USAGE.format(usage=USAGE))
        return
    existing = scam_words.find(ctx.session, word=word)
    if action == "add":
        if existing is not None:
            ctx.reply(texts.SCAMWORD_EXISTS.format(word=word))
            return
        scam_words.add(ctx.session, word=word, added_by=ctx.sender.id, now=ctx.now)
        ctx.classifier.add_scam_words([word])
        ctx.reply(texts.SCAMWORD_ADDED.format(word=word))
    else:
        if existing is None:
            ctx.reply(texts.SCAMWORD_MISSING.format(word=word))
            return
        scam_words.remove(ctx.session, row=existing)
        ctx.classifier.remove_scam_words([word])
        ctx.reply(texts.SCAMWORD_REMOVED.format(word=word))
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action=f"scamword_{action}", detail=word))
