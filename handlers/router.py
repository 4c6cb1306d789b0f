"""Commands: declared with a name, usage, summary and roles; parsed, checked and dispatched in one place."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

from handlers import texts
from handlers.context import Context

OFFICERS = frozenset({"officer", "admin"})
STAFF = frozenset({"officer", "admin", "mediator", "grid_worker"})
EVERYONE = frozenset({"resident", "grid_worker", "officer", "mediator", "admin"})


@dataclass(frozen=True)
class CommandCall:
    name: str
    args: str  # everything after the command word, stripped

    def split(self, n: int) -> list[str]:
        return self.args.split(None, n) if self.args else []


Handler = Callable[[CommandCall, Context], None]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    roles: frozenset[str]
    handler: Handler


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: list[Command] = []

    def command(self, name: str, *, usage: str, summary: str, roles: Iterable[str] = OFFICERS):
        def register(handler: Handler) -> Handler:
            self.commands.append(Command(name, usage, summary, frozenset(roles), handler))
            return handler
        return register


def parse_command(text: str) -> CommandCall | None:
    """'/close 12 调解成功' → CommandCall('close', '12 调解成功'); full-width slash accepted."""
    text = text.strip().replace("\u3000", " ")
    if not text.startswith(("/", "／")) or len(text) < 2:
        return None
    word, _, rest = text[1:].partition(" ")
    return CommandCall(unicodedata.normalize("NFKC", word).strip().lower(), rest.strip())


class CommandTable:
    """All commands of all routers, with the Chinese aliases from config."""

    def __init__(self, routers: Iterable[Router], aliases: dict[str, list[str]] | None = None) -> None:
        self.commands: dict[str, Command] = {}
        for router in routers:
            for cmd in router.commands:
                self.commands[cmd.name] = cmd
        self.aliases = {alias.lower(): name for name, names in (aliases or {}).items() for alias in names}

    def unknown_alias_targets(self, aliases: dict[str, list[str]]) -> list[str]:
        return sorted(name for name in aliases if name not in self.commands)

    def resolve(self, name: str) -> Command | None:
        return self.commands.get(self.aliases.get(name, name))

    def dispatch(self, call: CommandCall, ctx: Context) -> None:
        cmd = self.resolve(call.name)
        if cmd is None:
            ctx.reply(self.help_text(ctx.sender.role))
            return
        if ctx.sender.role not in cmd.roles:
            roles = "、".join(texts.ROLE_NAMES[r] for r in sorted(cmd.roles))
            ctx.reply(texts.REFUSED_ROLE.format(command=cmd.name, roles=roles))
            return
        cmd.handler(call, ctx)

    def help_text(self, role: str) -> str:
        by_name: dict[str, list[str]] = {}
        for alias, name in self.aliases.items():
            by_name.setdefault(name, []).append(alias)
        lines = [texts.HELP_HEADER]
        for cmd in self.commands.values():
            if role in cmd.roles:
                alias = f"（/{'、/'.join(by_name[cmd.name])}）" if cmd.name in by_name else ""
                lines.append(f"{cmd.usage}{alias} — {cmd.summary}")
        return "\n".join(lines)
