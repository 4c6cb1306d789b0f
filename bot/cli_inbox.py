"""`gridbot inbox list` and `gridbot inbox retry [ID…|--all]`: the messages parked after their last try."""
from __future__ import annotations

import argparse
import sys
from typing import Callable

LIST_LIMIT = 200


def add_parsers(sub: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    inbox = sub.add_parser("inbox", help="messages parked after their last try: list them, or put them back")
    inbox_sub = inbox.add_subparsers(dest="action", required=True)
    listing = inbox_sub.add_parser("list", help=f"the parked messages, newest first (at most {LIST_LIMIT})")
    config_arg(listing)
    listing.set_defaults(run=cmd_inbox_list)
    retry = inbox_sub.add_parser("retry", help="put parked messages back in the queue with fresh tries")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="a parked message's id (from `inbox list`)")
    retry.add_argument("--all", action="store_true", help="every parked message")
    config_arg(retry)
    retry.set_defaults(run=cmd_inbox_retry)


def cmd_inbox_list(args: argparse.Namespace) -> int:
    from bot.cli_console import _engine
    from handlers.privacy import mask_personal
    from storage import inbox
    from storage.db import session as new_session

    config, engine = _engine(args)
    if engine is None:
        return 2
    try:
        with new_session(engine) as session:
            rows, total = inbox.parked_messages(session, limit=LIST_LIMIT), inbox.count_parked(session)
    finally:
        engine.dispose()
    for m in rows:
        text = mask_personal(m.text.replace("\n", " "))[:40]
        error = mask_personal(m.error or "")[:80]
        print(f"{m.id}\t{m.channel}:{m.chat_id}\t{m.received_at.astimezone(config.tz):%Y-%m-%d %H:%M}\t"
              f"tries {m.attempts}\t{error}\t{text}")
    print(f"{total} parked" + (f" ({LIST_LIMIT} shown)" if total > LIST_LIMIT else ""), file=sys.stderr)
    return 0


def cmd_inbox_retry(args: argparse.Namespace) -> int:
    from bot.cli_console import _engine
    from storage import inbox
    from storage.db import session as new_session

    if bool(args.ids) == bool(args.all):
        print("gridbot inbox retry: give message ids or --all (not both)", file=sys.stderr)
        return 2
    _, engine = _engine(args)
    if engine is None:
        return 2
    try:
        with new_session(engine) as session:
            back = inbox.unpark(session, ids=None if args.all else list(args.ids))
            missing = sorted(set(args.ids) - set(back))
            if missing:
                session.rollback()
                print(f"gridbot inbox retry: not parked: {', '.join(map(str, missing))}", file=sys.stderr)
                return 2
            session.commit()
    finally:
        engine.dispose()
    print(f"{len(back)} message(s) back in the queue; a running gridbot handles them within seconds")
    return 0
