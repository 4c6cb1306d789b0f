"""Routes: every command, intent and pending conversation is declared on a Router with one handler signature,
``handler(ctx)``. ``Routes`` gathers the routers of handlers/dispatch.py and refuses, at start-up, a duplicate
command name or alias, an alias of no command, and an intent with no route or with two.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

from handlers import privacy_routing, texts
from handlers.context import Context
from handlers.roles import OFFICERS
from storage.models import Role

Handler = Callable[[Context], "bool | None"]  # conversation handlers return True when they took the message


@dataclass(frozen=True)
class CommandCall:
    name: str
    args: str  # everything after the command word, stripped

    def split(self, n: int) -> list[str]:
        return self.args.split(None, n) if self.args else []


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    roles: frozenset[str]
    handler: Handler
    public: bool = False  # its answer may be read by a group (/bind); else staff in a group are answered privately


@dataclass(frozen=True)
class Conversation:
    """A multi-step exchange (a survey answer, a clarifying question) that may claim a message first."""

    name: str
    handler: Handler


class RouteError(Exception):
    """The routes cannot be built: the bot must not start with this (a duplicate, a gap)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: list[Command] = []
        self.intents: list[tuple[str, Handler]] = []
        self.conversations: list[Conversation] = []

    def command(self, name: str, *, usage: str, summary: str, roles: Iterable[str] = OFFICERS, public: bool = False):
        """A command ``/name``; the handler reads ``ctx.call``. Roles are checked before it runs. Unless
        ``public``, a member of staff who types it in a group is answered in their direct chat."""
        def register(handler: Handler) -> Handler:
            self.commands.append(Command(name, usage, summary, frozenset(roles), handler, public))
            return handler
        return register

    def intent(self, intent: str):
        """What a resident's message of this intent does; the handler reads ``ctx.label``."""
        def register(handler: Handler) -> Handler:
            self.intents.append((intent, handler))
            return handler
        return register

    def conversation(self, name: str):
        """A pending exchange; the handler returns True when the message was its answer."""
        def register(handler: Handler) -> Handler:
            self.conversations.append(Conversation(name, handler))
            return handler
        return register


def parse_command(text: str) -> CommandCall | None:
    """'/close 12 调解成功' → CommandCall('close', '12 调解成功'); full-width slash accepted."""
    text = text.strip().replace("\u3000", " ")
    if not text.startswith(("/", "／")) or len(text) < 2:
        return None
    word, _, rest = text[1:].partition(" ")
    return CommandCall(unicodedata.normalize("NFKC", word).strip().lower(), rest.strip())


class Routes:
    """All routes of all routers, in router order, with the Chinese aliases from config."""

    def __init__(self, routers: Iterable[Router], *, intents: Iterable[str],
                 aliases: dict[str, list[str]] | None = None) -> None:
        routers = tuple(routers)
        self.commands: dict[str, Command] = {}
        self.intents: dict[str, Handler] = {}
        self.conversations: list[Conversation] = [c for r in routers for c in r.conversations]
        problems: list[str] = []
        for router in routers:
            for cmd in router.commands:
                if cmd.name in self.commands:
                    problems.append(f"command /{cmd.name} is declared twice")
                self.commands[cmd.name] = cmd
            for intent, handler in router.intents:
                if intent in self.intents:
                    problems.append(f"intent {intent!r} has two routes")
                self.intents[intent] = handler
        known = tuple(intents)
        problems += [f"intent {i!r} has no route" for i in known if i not in self.intents]
        problems += [f"route for unknown intent {i!r}" for i in self.intents if i not in known]
        self.aliases: dict[str, str] = {}
        for name, names in (aliases or {}).items():
            if name not in self.commands:
                problems.append(f"commands.aliases.{name}: unknown command")
            for alias in names:
                alias = alias.lower()
                if alias in self.commands or alias in self.aliases:
                    problems.append(f"commands.aliases.{name}: alias /{alias} is already taken")
                self.aliases[alias] = name
        if problems:
            raise RouteError(problems)

    def resolve(self, name: str) -> Command | None:
        return self.commands.get(self.aliases.get(name, name))

    def run_command(self, call: CommandCall, ctx: Context) -> None:
        """Run a command after the one role check; an unknown one gets the help text."""
        cmd = self.resolve(call.name)
        if cmd is None:
            ctx.reply(self.help_text(ctx.sender.role))
            return
        if ctx.sender.role not in cmd.roles:
            roles = "、".join(texts.ROLE_NAMES[r] for r in sorted(cmd.roles))
            ctx.reply(texts.REFUSED_ROLE.format(command=cmd.name, roles=roles))
            return
        ctx.call = call
        if cmd.public or not privacy_routing.in_group_by_staff(ctx):
            cmd.handler(ctx)
            return
        privacy_routing.run_privately(ctx, cmd.handler)

    def run_intent(self, intent: str, ctx: Context) -> None:
        self.intents[intent](ctx)

    def help_text(self, role: str) -> str:
        by_name: dict[str, list[str]] = {}
        for alias, name in self.aliases.items():
            by_name.setdefault(name, []).append(alias)
        lines = [texts.RESIDENT_HELP, ""] if role == Role.RESIDENT else []
        lines.append(texts.HELP_HEADER)
        for cmd in self.commands.values():
            if role in cmd.roles:
                alias = f"（/{'、/'.join(by_name[cmd.name])}）" if cmd.name in by_name else ""
                lines.append(f"{cmd.usage}{alias} — {cmd.summary}")
        return "\n".join(lines)

