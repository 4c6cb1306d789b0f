"""``gridbot worker``: a process that handles messages, delivers the outbox and runs the schedule, with no HTTP
port — for scaling out on PostgreSQL behind the ``gridbot serve`` processes that accept the callbacks. Every
piece claims its work through the database (messages and outbox rows by lease, scheduled runs by the leader
lock), so any number of workers and servers share one database without doing anything twice."""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable


def add_parsers(sub: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    worker = sub.add_parser("worker", help="handle messages, deliver replies and run the schedule, without HTTP")
    config_arg(worker)
    worker.add_argument("--instance", help="this process's name on its outbox leases, unique among live processes "
                                           "and kept across restarts (default: [outbox] instance, else host:worker:pid)")
    worker.set_defaults(run=cmd_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    from bot import log_masking
    from bot.cli import load_with_schema

    config = load_with_schema(args.config, "worker")
    if config is None:
        print("gridbot worker: refusing to start", file=sys.stderr)
        return 2
    log_masking.configure(config.logging.level, config.logging.format)
    instance = args.instance or config.outbox.instance or f"{socket.gethostname()}:worker:{os.getpid()}"
    print(f"gridbot worker: {instance} working for {config.community.name}", flush=True)
    asyncio.run(_work(config, instance))
    return 0


async def _work(config, instance: str) -> None:  # noqa: ANN001 - a bot.config.Config
    from aiohttp import web

    from bot.app import create_app

    runner = web.AppRunner(create_app(config, freeze_gc=True, instance=instance))
    await runner.setup()  # starts the database, senders, pipeline, outbox and scheduler; no site, so no port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # finishes the batch in hand, releases its leases
