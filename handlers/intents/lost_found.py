"""Lost and found (失物招领): the worked example of a new intent in docs/architecture.md."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.router import Router

router = Router("lost_found")


@router.intent("lost_found")
def on_lost_found(ctx: Context) -> None:
    ctx.reply(texts.LOST_FOUND_ACK.format(station=ctx.config.station.name), mention=[ctx.sender])
