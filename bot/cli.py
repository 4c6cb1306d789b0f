"""The gridbot command line (also `python -m bot`)."""
from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path

from bot import log_masking
from bot.config import Config, ConfigError, load_config

DEFAULT_CONFIG = "config.toml"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridbot", description="Community-policing grid group bot")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the bot over HTTP")
    _config_arg(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=cmd_serve)
    check = sub.add_parser("check-config", help="validate the configuration; exit 2 on any error")
    _config_arg(check)
    check.set_defaults(run=cmd_check_config)
    schedule = sub.add_parser("schedule", help="list the next scheduled runs")
    _config_arg(schedule)
    schedule.set_defaults(run=cmd_schedule)
    classify = sub.add_parser("classify", help="classify one message")
    classify.add_argument("text")
    classify.add_argument("--json", action="store_true")
    classify.set_defaults(run=cmd_classify)
    db = sub.add_parser("db", help="database schema: upgrade to the newest revision, or show the current one")
    db.add_argument("action", choices=("upgrade", "current"))
    _config_arg(db)
    db.set_defaults(run=cmd_db)
    imp = sub.add_parser("import", help="import a roster from xlsx or csv; a bad file imports nothing")
    imp.add_argument("kind", choices=("people", "stations", "communities", "grids", "groups", "households", "duty"))
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    _config_arg(imp)
    imp.set_defaults(run=cmd_import)
    evaluate = sub.add_parser("eval", help="evaluate the classifier on a labelled JSONL file")
    evaluate.add_argument("file")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=cmd_eval)
    faq_eval = sub.add_parser("faq-eval", help="evaluate the FAQ on a labelled question set (JSONL)")
    faq_eval.add_argument("file", help='one {"text", "topics": [topic ids]} a line; topics [] = must not answer')
    faq_eval.add_argument("--json", action="store_true")
    faq_eval.set_defaults(run=cmd_faq_eval)
    from bot import cli_console, cli_inbox, cli_learning, cli_privacy, cli_worker

    cli_console.add_parsers(sub, _config_arg)
    cli_privacy.add_parsers(sub, _config_arg)
    cli_inbox.add_parsers(sub, _config_arg)
    cli_learning.add_parsers(sub, _config_arg)
    cli_worker.add_parsers(sub, _config_arg)
    return parser


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="path to config.toml (default: %(default)s)")


def load_checked(path: str) -> Config | None:
    """Load and validate; print each problem on its own line to stderr and return None on failure."""
    try:
        return load_config(path)
    except ConfigError as exc:
        _print_errors(path, exc.errors)
        return None


def _print_errors(path: str, errors: list[str]) -> None:
    for line in errors:
        print(f"{path}: {line}", file=sys.stderr)


def cmd_check_config(args: argparse.Namespace) -> int:
    config = load_checked(args.config)
    if config is None:
        return 2
    print(f"{args.config}: ok ({len(config.grids)} grids, {len(config.people)} people)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import create_app
    from bot.config_checks import demo_token_problem
    from bot.web.access_log import access_logger

    config = load_checked(args.config)
    if config is None:
        print("gridbot: refusing to start with an invalid configuration", file=sys.stderr)
        return 2
    problem = demo_token_problem(config.api.token, args.host or config.server.host)
    if problem:
        print(f"gridbot: refusing to start: {problem}", file=sys.stderr)
        return 2
    problem = schema_problem(config, args.config)
    if problem:
        print(f"gridbot: refusing to start: {problem}", file=sys.stderr)
        return 2
    log_masking.configure(config.logging.level, config.logging.format)
    host = args.host or config.server.host
    port = args.port or config.server.port
    try:  # bound before the app starts: while this process lives, no other one serves as this host:port
        sock = socket.create_server((host, port))
    except OSError as exc:
        print(f"gridbot: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    instance = config.outbox.instance or f"{socket.gethostname()}:{port}"  # stable across restarts
    print(f"gridbot: serving {config.community.name} on http://{host}:{port}/sandbox", flush=True)
    web.run_app(create_app(config, freeze_gc=True, instance=instance), sock=sock, print=None,
                access_log_class=access_logger(config.logging.access))
    return 0


def load_with_schema(path: str, command: str) -> Config | None:
    """The config, when it is valid and its database's schema is current; else None, with why on stderr."""
    config = load_checked(path)
    if config is None:
        return None
    problem = schema_problem(config, path)
    if problem:
        print(f"gridbot {command}: {problem}", file=sys.stderr)
        return None
    return config


def schema_problem(config: Config, path: str) -> str | None:
    """Why the configured database cannot be served (schema behind the code), or None."""
    from storage import migrate
    from storage.db import make_engine

    engine = make_engine(config.database.url)
    try:
        at, head = migrate.current(engine), migrate.head()
    finally:
        engine.dispose()
    if at == head:
        return None
    return (f"the database schema is at {at or 'nothing'}, the code needs {head}: "
            f"run `gridbot db upgrade --config {path}` first")


def cmd_db(args: argparse.Namespace) -> int:
    from storage import migrate
    from storage.db import make_engine

    config = load_checked(args.config)
    if config is None:
        return 2
    engine = make_engine(config.database.url)
    try:
        if args.action == "upgrade":
            before = migrate.current(engine)
            migrate.upgrade(engine)
            print(f"database upgraded: {before or 'empty'} → {migrate.current(engine)}")
        else:
            at, head = migrate.current(engine), migrate.head()
            state = "up to date" if at == head else f"behind (newest is {head}: run `gridbot db upgrade`)"
            print(f"{at or 'empty (never migrated)'}: {state}")
    finally:
        engine.dispose()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bot.app import sync_roster
    from bot.clock import SystemClock
    from bot.importing import run_import
    from storage.db import make_engine

    config = load_checked(args.config)
    if config is None:
        return 2
    problem = schema_problem(config, args.config)
    if problem:
        print(f"gridbot import: {problem}", file=sys.stderr)
        return 2
    engine = make_engine(config.database.url)
    try:
        sync_roster(engine, config)  # a sheet may name the grids and people of config.toml
        ok, lines = run_import(engine, kind=args.kind, path=args.file, dry_run=args.dry_run, now=SystemClock().now())
    finally:
        engine.dispose()
    for line in lines:
        print(line, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


def cmd_schedule(args: argparse.Namespace) -> int:
    config = load_checked(args.config)
    if config is None:
        return 2
    from bot.scheduling.scheduler import next_runs

    for line in next_runs(config):
        print(line)
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from handlers import nlu

    label = nlu.classify(args.text)
    if args.json:
        print(json.dumps(label.to_dict(), ensure_ascii=False))
    else:
        data = label.to_dict()
        print(f"intent: {data['intent']}  subtype: {data['subtype']}  scam_type: {data['scam_type']}  "
              f"urgent: {data['urgent']}  confidence: {data['confidence']:.2f}")
        print(f"cues: {', '.join(data['cues']) or '-'}")
        print(f"entities: {json.dumps(data['entities'], ensure_ascii=False)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from handlers.nlu.evaluate import evaluate, format_report

    if not Path(args.file).is_file():
        print(f"gridbot eval: no such file {args.file}", file=sys.stderr)
        return 2
    try:
        result = evaluate(args.file)
    except ValueError as exc:
        print(f"gridbot eval: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return 0


def cmd_faq_eval(args: argparse.Namespace) -> int:
    """The packaged knowledge base's figures on a question set (officers' database entries are not read)."""
    from handlers.faq import kb
    from handlers.faq.evaluate import evaluate, format_report, load
    from handlers.faq.retrieve import Retriever

    if not Path(args.file).is_file():
        print(f"gridbot faq-eval: no such file {args.file}", file=sys.stderr)
        return 2
    try:
        result = evaluate(load(args.file), Retriever(kb.packaged()))
    except ValueError as exc:
        print(f"gridbot faq-eval: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return 0
