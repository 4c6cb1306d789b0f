"""A process that takes bulk turns on two budgeted accounts as fast as it can, every attempt at the same frozen
instant, once its parent says go: ``python -m tests.fakes.turn_taker DB_URL ATTEMPTS``. Prints how many turns it
got on each: ``paced`` (a 10 s gap between sends) and ``hourly`` (5 an hour, no gap)."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

from bot.channels.base import OutboundMessage
from bot.channels.kit.send_budget import SendBudget
from bot.send_turns import take_turn
from storage.db import make_engine
from tests.fakes.clock import FakeClock

FROZEN = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def broadcast(account: str, n: int) -> OutboundMessage:
    return OutboundMessage(id=n, channel=account, chat_id=f"R:{n}@chatroom", text="【警务提醒】",
                           idempotency_key=f"b-{n}", kind="broadcast")


def main() -> None:
    url, attempts = sys.argv[1], int(sys.argv[2])
    engine = make_engine(url)
    clock = FakeClock(FROZEN)
    budgets = {"paced": SendBudget(per_hour=1000, per_day=1000, gap_seconds=(10, 10), clock=clock),
               "hourly": SendBudget(per_hour=5, per_day=1000, gap_seconds=(0, 0), clock=clock)}
    engine.connect().close()  # connected before the start, so that every process starts at once
    print("ready", flush=True)
    sys.stdin.readline()
    got = {account: sum(take_turn(engine, budget=budget, message=broadcast(account, n)) is None
                        for n in range(attempts))
           for account, budget in budgets.items()}
    print(json.dumps(got), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
