"""What every console view uses: the signed-in person, templates, reads and writes in the database executor."""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from bot.keys import CLOCK, CONFIG
from bot.web.responses import in_db
from handlers import texts
from handlers.accounts import SignedIn

TEMPLATES = web.AppKey("console_templates", jinja2.Environment)
USER = web.RequestKey("console_user", SignedIn)  # who signed in, for this request


def make_templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("bot.web.console", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(STATUS_NAMES=texts.STATUS_NAMES, KIND_NAMES=texts.KIND_NAMES, ROLE_NAMES=texts.ROLE_NAMES,
                       SUBTYPE_NAMES=texts.SUBTYPE_NAMES, SCAM_TYPE_NAMES=texts.SCAM_TYPE_NAMES,
                       LEVEL_NAMES=texts.LEVEL_NAMES, SATISFACTION_NAMES=texts.SATISFACTION_NAMES,
                       DELIVERY_NAMES=texts.DELIVERY_NAMES, PAPER_NAMES=texts.PAPER_NAMES,
                       PARTY_NAMES=texts.PARTY_NAMES, type_label=texts.type_label)
    return env


def user(request: web.Request) -> SignedIn:
    return request[USER]


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    config = request.app[CONFIG]
    signed = request.get(USER)
    page = request.app[TEMPLATES].get_template(template).render(
        request=request, user=signed.person if signed else None, csrf=signed.csrf if signed else "",
        community=config.community.name, flash=request.query.getall("msg", []), **context)
    return web.Response(text=page, content_type="text/html", charset="utf-8", status=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                                            "style-src 'self'; script-src 'self'"})


def redirect(location: str, messages: list[str] | None = None) -> web.HTTPSeeOther:
    if messages:
        location += ("&" if "?" in location else "?") + urlencode([("msg", m) for m in messages])
    return web.HTTPSeeOther(location)


def now(request: web.Request):  # noqa: ANN201
    return request.app[CLOCK].now()


async def read(request: web.Request, func: Callable[[Any], Any]) -> Any:
    """Run ``func(session)`` in the database executor, read-only."""
    return await in_db(request, func)


async def write(request: web.Request, func: Callable[[Any], Any]) -> Any:
    """Run ``func(session)`` in one transaction and commit it; then wake the outbox for what it queued."""
    return await in_db(request, func, commit=True)


def form_value(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""
