"""The command line of the console, the ledgers and the API: export, user set-password, token create."""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Callable

DEMO_PASSWORD = "gridbot-demo"
DEMO_DATABASE = "sqlite:///var/gridbot.db"


def add_parsers(sub: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    from handlers.exports.registry import KINDS

    export = sub.add_parser("export", help="export a ledger or a log as xlsx or csv")
    export.add_argument("kind", choices=sorted(KINDS))
    export.add_argument("--from", dest="since", type=date.fromisoformat, help="first day (YYYY-MM-DD), inclusive")
    export.add_argument("--to", dest="until", type=date.fromisoformat, help="last day (YYYY-MM-DD), inclusive")
    export.add_argument("--grid", action="append", help="a grid id (repeat for several; default: all grids)")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--output", help="file to write (default: the ledger's Chinese name in this folder)")
    config_arg(export)
    export.set_defaults(run=cmd_export)
    user = sub.add_parser("user", help="console sign-in: set a person's password")
    user_sub = user.add_subparsers(dest="action", required=True)
    setpw = user_sub.add_parser("set-password", help="set PERSON's console password (asked twice, or --password-stdin)")
    setpw.add_argument("person")
    setpw.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    config_arg(setpw)
    setpw.set_defaults(run=cmd_set_password)
    demo = user_sub.add_parser("demo-passwords", help=f"demo only: give staff without one the password {DEMO_PASSWORD}")
    config_arg(demo)
    demo.set_defaults(run=cmd_demo_passwords)
    token = sub.add_parser("token", help="case API tokens")
    token_sub = token.add_subparsers(dest="action", required=True)
    create = token_sub.add_parser("create", help="a new API token for PERSON (printed once, stored hashed)")
    create.add_argument("person")
    create.add_argument("--label", default="", help="what the token is for (e.g. the 12345 hotline system)")
    config_arg(create)
    create.set_defaults(run=cmd_token_create)


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from bot.cli import load_checked, schema_problem
    from storage.db import make_engine

    config = load_checked(args.config)
    if config is None:
        return None, None
    problem = schema_problem(config, args.config)
    if problem:
        print(f"gridbot: {problem}", file=sys.stderr)
        return None, None
    return config, make_engine(config.database.url)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exporting import export_to_file, file_name
    from handlers.exports import Request
    from handlers.exports.registry import KINDS
    from handlers.reports import period_of_days
    from storage import roster
    from storage.db import session as new_session

    config, engine = _engine(args)
    if engine is None:
        return 2
    try:
        if args.since and args.until and args.since > args.until:
            print("gridbot export: --from is after --to", file=sys.stderr)
            return 2
        with new_session(engine) as session:
            unknown = [g for g in args.grid or [] if g not in {x.id for x in roster.all_grids(session)}]
        if unknown:
            print(f"gridbot export: unknown grid(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        first, last = args.since or date(2000, 1, 1), args.until or date(2999, 12, 31)
        period = period_of_days(first, last, config.tz)
        label = period.label if args.since or args.until else ""
        request = Request(since=period.start if args.since else None, until=period.end if args.until else None,
                          grid_ids=args.grid or None, tz=config.tz, label=label,
                          visit_days_per_week=config.households.visit_days_per_week)
        kind = KINDS[args.kind]
        path = Path(args.output or file_name(kind, request, args.format))
        count = export_to_file(engine, kind, request, fmt=args.format, path=path)
    finally:
        engine.dispose()
    print(f"{path}: {count} rows ({kind.title})")
    return 0


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        print("gridbot user: the passwords differ", file=sys.stderr)
        return None
    return first


def cmd_set_password(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from handlers.accounts import AccountError, set_password
    from storage.db import session as new_session
    from storage.models import Person

    config, engine = _engine(args)
    if engine is None:
        return 2
    try:
        with new_session(engine) as session:
            person = session.get(Person, args.person)
            if person is None:
                print(f"gridbot user: no person {args.person!r}", file=sys.stderr)
                return 2
            password = _read_password(args)
            if password is None:
                return 2
            try:
                set_password(session, person=person, password=password, now=SystemClock().now())
            except AccountError as exc:
                print(f"gridbot user: {exc}", file=sys.stderr)
                return 2
            session.commit()
    finally:
        engine.dispose()
    print(f"password set for {args.person}; their other console sessions are signed out")
    return 0


def demo_refusal(config) -> str | None:  # noqa: ANN001
    """Why demo passwords may not be set here (None: this is the demo). The demo is the sandbox alone, on the
    demo's own SQLite file: any real channel switched on, or any other database, means a real deployment."""
    from bot.channels import registry

    on = [channel.name for channel, _ in registry.enabled(config)]
    if on != ["sandbox"]:
        return f"channels {', '.join(on) or 'none'} are on: demo passwords need the sandbox alone"
    if config.database.url != DEMO_DATABASE:
        return f"the database is not the demo's ({DEMO_DATABASE})"
    return None


def cmd_demo_passwords(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from handlers.accounts import set_password
    from storage import auth, people
    from storage.db import session as new_session

    config, engine = _engine(args)
    if engine is None:
        return 2
    refusal = demo_refusal(config)
    if refusal:
        engine.dispose()
        print(f"gridbot user demo-passwords: refused: {refusal}", file=sys.stderr)
        return 2
    from bot.app import sync_roster

    try:
        sync_roster(engine, config)
        with new_session(engine) as session:
            done = []
            for person in people.staff(session):
                if auth.password_hash(session, person_id=person.id) is None:
                    set_password(session, person=person, password=DEMO_PASSWORD, now=SystemClock().now())
                    done.append(person.id)
            session.commit()
    finally:
        engine.dispose()
    print(f"demo passwords ({DEMO_PASSWORD}) set for {len(done)} people" + (f": {', '.join(done)}" if done else ""))
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from handlers.accounts import AccountError, create_token
    from storage.db import session as new_session
    from storage.models import AuditEntry, Person

    config, engine = _engine(args)
    if engine is None:
        return 2
    try:
        with new_session(engine) as session:
            person = session.get(Person, args.person)
            if person is None:
                print(f"gridbot token: no person {args.person!r}", file=sys.stderr)
                return 2
            now = SystemClock().now()
            try:
                secret = create_token(session, person=person, label=args.label, now=now)
            except AccountError as exc:
                print(f"gridbot token: {exc}", file=sys.stderr)
                return 2
            session.add(AuditEntry(at=now, actor_id="cli", action="api_token_created",
                                   detail=f"{person.id} {args.label}".strip()))
            session.commit()
    finally:
        engine.dispose()
    print(secret)
    print(f"(API token for {args.person}; shown once, stored hashed: keep it safe)", file=sys.stderr)
    return 0
