"""Chatter needs nobody, unless it follows up the sender's open dispute (“还是很吵”)."""
from __future__ import annotations

from handlers.cases import linking
from handlers.context import Context
from handlers.router import Router

router = Router("chatter")


@router.intent("chatter")
def on_chatter(ctx: Context) -> None:
    joined = linking.follow_up_target(ctx)
    if joined is not None:
        linking.join_follow_up(ctx, joined)
