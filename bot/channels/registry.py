"""The channels the bot speaks, in one ordered tuple. A new channel is one module and one line here.

Each channel module defines ``CHANNEL`` (``bot.channels.base.Channel``): its config section, its routes,
its sender and the account family of its ids. Everything else — config validation, the callback routes,
the senders, who is reached where — is derived from this tuple.
"""
from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import ValidationError

from bot.channels import aibot, bridge, mp, sandbox, wecom
from bot.channels.base import (
    Accept,
    Channel,
    ChannelSettings,
    Sender,
    SenderDeps,
    mount,
)
from bot.clock import Clock
from bot.failover import ROBOT, Routes
from bot.follower_notices import FOLLOWERS
from handlers.message import ChannelDirectory

CHANNELS: tuple[Channel, ...] = (sandbox.CHANNEL, wecom.CHANNEL, aibot.CHANNEL, mp.CHANNEL, bridge.CHANNEL)
BY_NAME: dict[str, Channel] = {channel.name: channel for channel in CHANNELS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
ACCOUNT_FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(c.identity for c in CHANNELS if c.identity))


def section_errors(sections: dict[str, Any]) -> list[str]:
    """One error line per problem in the channel sections ({name: raw table}), each with its key path."""
    return _validate(sections)[1]


def channel_settings(config: Any) -> tuple[dict[str, ChannelSettings], list[str]]:
    """Validated settings of every channel's section, and one error line per problem (with its key path)."""
    return _validate(config.channels)


def _validate(sections: dict[str, Any]) -> tuple[dict[str, ChannelSettings], list[str]]:
    settings: dict[str, ChannelSettings] = {}
    errors: list[str] = []
    for channel in CHANNELS:
        name = channel.name
        try:
            section = channel.settings.model_validate(sections.get(name) or {})
        except ValidationError as exc:
            for err in exc.errors():
                path = ".".join(str(p) for p in (name, *err["loc"]))
                errors.append(f"{path}: {'unknown key' if err['type'] == 'extra_forbidden' else err['msg']}")
            continue
        if section.enabled:
            missing = [key for key in section.required if not getattr(section, key)]
            errors += [f"{name}.{key}: required when {name}.enabled is true "
                       f"(or set GRIDBOT_{name.upper()}_{key.upper()})" for key in missing]
        settings[name] = section
    return settings, errors + _sandbox_errors(settings)


def _sandbox_errors(settings: dict[str, ChannelSettings]) -> list[str]:
    """The sandbox speaks as anyone it is told to: next to a real channel it must sit behind its own token."""
    sandbox_on = settings.get("sandbox") is not None and settings["sandbox"].enabled
    real = [name for name, section in settings.items() if name != "sandbox" and section.enabled]
    if not sandbox_on or not real or getattr(settings["sandbox"], "token", ""):
        return []
    return [f"sandbox.token: required when the sandbox runs together with a real channel ({', '.join(real)}); "
            "set [sandbox] token (at least 16 characters, or GRIDBOT_SANDBOX_TOKEN) or [sandbox] enabled = false"
            " — 演示沙盒与真实渠道同时开启时必须设置沙盒令牌，否则任何人都能冒充民警发消息、查看案件"]


def enabled(config: Any) -> list[tuple[Channel, ChannelSettings]]:
    """The channels switched on (each by its section's ``enabled = true``), with their settings; ValueError if
    invalid."""
    settings, errors = channel_settings(config)
    if errors:
        raise ValueError("; ".join(errors))
    return [(c, settings[c.name]) for c in CHANNELS if settings[c.name].enabled]


def add_routes(app: web.Application, config: Any, clock: Clock, accept: Accept) -> list[str]:
    """Mount the routes of every enabled channel. Returns their paths."""
    paths: list[str] = []
    for channel, settings in enabled(config):
        paths += mount(app, channel.routes(settings, clock, accept))
    return paths


def build_senders(config: Any, deps: SenderDeps) -> dict[str, Sender]:
    """One sender per enabled channel, all on one HTTP session and one shared token store. With the bridge on, the
    WeCom group robots its groups fall back to are reached by the AI-bot channel's webhook sender even when no AI
    bot is set up: a robot's webhook is an address with a key, nothing more."""
    senders = {channel.name: channel.sender(settings, deps) for channel, settings in enabled(config)
               if channel.sender is not None}
    if "bridge" in senders and ROBOT not in senders:
        senders[ROBOT] = aibot.CHANNEL.sender(channel_settings(config)[0][ROBOT], deps)
    return senders


def build_fetchers(config: Any, deps: SenderDeps) -> dict[str, Any]:
    """The media fetcher of every enabled channel that has one (bot.media.fetch.MediaFetcher)."""
    return {channel.name: channel.media(settings, deps) for channel, settings in enabled(config)
            if channel.media is not None}


FOLLOWER_FALLBACK_CHANNELS = ("bridge",)  # residents' groups (personal WeChat) whose notices may reach followers


def failover_routes(config: Any) -> Routes:
    """Each group's other channels (bot/failover.py): a bridge group falls back to its WeCom group robot when its
    ``webhook_key`` is on record (config.toml's groups are synced there, imported ones come with ``gridbot import
    groups``; sent by the ``aibot`` channel's webhook sender, a group without a key is not tried there); with
    ``[mp] notice_template_id`` set, every bridge group falls back last to its grid's followers of the Official
    Account (bot/follower_notices.py; WeCom groups are staff's)."""
    routes: dict[str, tuple[str, ...]] = {"bridge": (ROBOT,)}
    if template_id(config):
        for channel in FOLLOWER_FALLBACK_CHANNELS:
            routes[channel] = routes.get(channel, ()) + (FOLLOWERS,)
    return routes


def template_id(config: Any) -> str:
    """The Official Account's notice template, when the ``[mp]`` channel is on and has one."""
    settings = channel_settings(config)[0].get("mp")
    return settings.notice_template_id if settings is not None and settings.enabled else ""


def directory() -> ChannelDirectory:
    """What handlers need to know of the channels: whose ids each speaks, and where direct messages go."""
    direct: dict[str, str] = {}
    for channel in CHANNELS:
        if channel.identity and channel.direct:
            direct.setdefault(channel.identity, channel.name)
    return ChannelDirectory(identity={c.name: c.identity for c in CHANNELS}, direct=direct,
                            titles={c.name: c.title for c in CHANNELS})
