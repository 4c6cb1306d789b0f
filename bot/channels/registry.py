"""Turn the [wecom], [aibot], [mp] and [bridge] config sections into callback routes and senders."""
from __future__ import annotations

from typing import Any, ClassVar, Protocol

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

import aiohttp

from bot.channels.aibot import AibotCallback, AibotSender
from bot.channels.base import Sender
from bot.channels.bridge import BridgeCallback, BridgeSender
from bot.channels.mp import MpCallback, MpSender
from bot.channels.wechat.api import ApiClient, TokenStore
from bot.channels.wechat.security import Accept
from bot.channels.wecom import WecomCallback, WecomAppSender
from bot.clock import Clock

AES_KEY = Field(default="", pattern=r"^$|^[A-Za-z0-9+/]{43}$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = False
    window_seconds: int = Field(default=300, ge=30, le=3600)


class WecomSettings(_Section):
    corp_id: str = ""
    agent_id: str = Field(default="", pattern=r"^$|^[0-9]+$")
    secret: str = ""
    token: str = ""
    aes_key: str = AES_KEY
    api_base: str = "https://qyapi.weixin.qq.com"
    required: ClassVar[tuple[str, ...]] = ("corp_id", "agent_id", "secret", "token", "aes_key")


class AibotSettings(_Section):
    token: str = ""
    aes_key: str = AES_KEY
    bot_id: str = ""
    api_base: str = "https://qyapi.weixin.qq.com"
    required: ClassVar[tuple[str, ...]] = ("token", "aes_key")


class MpSettings(_Section):
    app_id: str = ""
    secret: str = ""
    token: str = ""
    aes_key: str = AES_KEY
    api_base: str = "https://api.weixin.qq.com"
    required: ClassVar[tuple[str, ...]] = ("app_id", "secret", "token")


class BridgeSettings(_Section):
    secret: str = ""
    outbound_url: str = ""
    required: ClassVar[tuple[str, ...]] = ("secret", "outbound_url")


SECTIONS: dict[str, type[_Section]] = {"wecom": WecomSettings, "aibot": AibotSettings, "mp": MpSettings,
                                       "bridge": BridgeSettings}


def channel_settings(config: Any) -> tuple[dict[str, _Section], list[str]]:
    """Validated settings of every channel section, and one error line per problem (with its key path)."""
    settings: dict[str, _Section] = {}
    errors: list[str] = []
    for name, model in SECTIONS.items():
        try:
            section = model.model_validate(getattr(config, name) or {})
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
    return settings, errors


def add_callback_routes(app: web.Application, config: Any, clock: Clock, accept: Any) -> list[str]:
    """Register the callback routes of every enabled channel. Returns their paths."""
    settings, errors = channel_settings(config)
    if errors:
        raise ValueError("; ".join(errors))
    adapters: dict[str, Any] = {}
    wecom, aibot, mp, bridge = (settings[n] for n in ("wecom", "aibot", "mp", "bridge"))
    if wecom.enabled:
        adapters["wecom"] = WecomCallback(token=wecom.token, aes_key=wecom.aes_key, corp_id=wecom.corp_id,
                                          clock=clock, window=wecom.window_seconds)
    if aibot.enabled:
        adapters["aibot"] = AibotCallback(token=aibot.token, aes_key=aibot.aes_key, bot_id=aibot.bot_id or None,
                                          clock=clock, window=aibot.window_seconds)
    if mp.enabled:
        adapters["mp"] = MpCallback(token=mp.token, app_id=mp.app_id, aes_key=mp.aes_key or None, clock=clock,
                                    window=mp.window_seconds)
    if bridge.enabled:
        adapters["bridge"] = BridgeCallback(secret=bridge.secret, clock=clock, window=bridge.window_seconds)
    return add_routes(app, accept=accept, **adapters)


def build_senders(config: Any, session: aiohttp.ClientSession, clock: Clock,
                  token_store: TokenStore) -> dict[str, Sender]:
    """One sender per enabled channel, all on one HTTP session and one shared token store."""
    settings, errors = channel_settings(config)
    if errors:
        raise ValueError("; ".join(errors))
    wecom, aibot, mp, bridge = (settings[n] for n in ("wecom", "aibot", "mp", "bridge"))
    senders: dict[str, Sender] = {}
    if wecom.enabled:
        client = ApiClient.wecom(session, corp_id=wecom.corp_id, secret=wecom.secret, clock=clock,
                                 token_store=token_store, api_base=wecom.api_base)
        senders["wecom"] = WecomAppSender(client, agent_id=wecom.agent_id, clock=clock)
    if aibot.enabled:
        keys = {ref.chat_id: ref.webhook_key for grid in config.grids for ref in grid.groups
                if ref.channel == "aibot" and ref.webhook_key}
        senders["aibot"] = AibotSender(session, clock=clock, webhook_keys=keys, api_base=aibot.api_base)
    if mp.enabled:
        client = ApiClient.mp(session, app_id=mp.app_id, secret=mp.secret, clock=clock, token_store=token_store,
                              api_base=mp.api_base)
        senders["mp"] = MpSender(client, clock=clock)
    if bridge.enabled:
        senders["bridge"] = BridgeSender(session, outbound_url=bridge.outbound_url, secret=bridge.secret,
                                         clock=clock)
    return senders


WECOM_PATH = "/wechat/wecom"
AIBOT_PATH = "/wechat/aibot"
MP_PATH = "/wechat/mp"
BRIDGE_PATH = "/bridge"


class Adapter(Protocol):
    channel: str

    async def handle(self, request: web.Request, accept: Accept) -> web.Response: ...


def add_routes(app: web.Application, *, wecom: Adapter | None = None, aibot: Adapter | None = None,
               mp: Adapter | None = None, bridge: Adapter | None = None, accept: Accept) -> list[str]:
    """Register GET (URL verification) and POST routes for each adapter given; None = disabled.

    ``accept(msg)`` stores and deduplicates one message. If the pipeline only exists once the
    app has started, pass ``accept=lambda msg: app[PIPELINE].accept(msg)``. Returns the paths added.
    """
    added = []
    for path, adapter, methods in ((WECOM_PATH, wecom, ("GET", "POST")), (AIBOT_PATH, aibot, ("GET", "POST")),
                                   (MP_PATH, mp, ("GET", "POST")), (BRIDGE_PATH, bridge, ("POST",))):
        if adapter is None:
            continue
        view = _view(adapter, accept)
        for method in methods:
            app.router.add_route(method, path, view)
        added.append(path)
    return added


def _view(adapter: Adapter, accept: Accept):  # noqa: ANN202
    async def view(request: web.Request) -> web.Response:
        return await adapter.handle(request, accept)

    view.__name__ = f"{adapter.channel}_callback"
    return view
