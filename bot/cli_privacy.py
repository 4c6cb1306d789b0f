"""``gridbot purge [--dry-run]``: the retention purge of ``[privacy] retain_message_days``, by hand."""
from __future__ import annotations

import argparse
from typing import Callable


def add_parsers(sub: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    purge = sub.add_parser("purge", help="purge message text, media and sent texts older than "
                                         "[privacy] retain_message_days (cases are kept)")
    purge.add_argument("--dry-run", action="store_true", help="count what would be purged, change nothing")
    config_arg(purge)
    purge.set_defaults(run=cmd_purge)


def cmd_purge(args: argparse.Namespace, *, now=None) -> int:  # noqa: ANN001
    from bot.cli import load_with_schema
    from bot.clock import SystemClock
    from bot.media.store import make_store
    from handlers import retention
    from storage.db import make_engine, session

    config = load_with_schema(args.config, "purge")
    if config is None:
        return 2
    days = config.privacy.retain_message_days
    if days == 0:
        print("gridbot purge: privacy.retain_message_days = 0 keeps everything; nothing to do")
        return 0
    engine = make_engine(config.database.url)
    try:
        with session(engine) as s:
            done = retention.purge(s, now=now or SystemClock().now(), days=days, dry_run=args.dry_run)
            if not args.dry_run:
                s.commit()
    finally:
        engine.dispose()
    store = make_store(config.media.root)
    for key in [] if args.dry_run else done.files:
        store.delete(key)
    verb = "would purge" if args.dry_run else "purged"
    print(f"gridbot purge: {verb} {done.messages} messages, {done.media} media, {done.outbox} sent texts "
          f"older than {days} days ({len(done.files)} files deleted); cases are kept")
    return 0
