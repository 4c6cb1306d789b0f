"""/wrong N KIND [SUBTYPE] [WHY] (误判): an officer of the case's grid corrects what the bot read a case as."""
from __future__ import annotations

from handlers import texts
from handlers.cases import correcting
from handlers.commands.common import case_from_args
from handlers.context import Context
from handlers.roles import OFFICERS
from handlers.router import Router

router = Router("corrections")


@router.command("wrong", usage="/wrong 编号 类型 [细类]",
                summary="更正助手的误判：误报结案，或改为纠纷、咨询、诈骗、求助（助手会据此学习）", roles=OFFICERS)
def on_wrong(ctx: Context) -> None:
    words = ctx.call.split(1)
    if not words or not words[0].lstrip("#").isdigit():
        ctx.reply(texts.WRONG_USAGE)
        return
    found = case_from_args(ctx, texts.WRONG_USAGE)  # unknown case, another grid's case: told here
    if found is None:
        return
    case, rest = found
    verdict = correcting.parse_verdict(rest.split())
    if verdict is None:
        ctx.reply(texts.WRONG_USAGE)
        return
    correcting.correct(ctx, case, verdict)
