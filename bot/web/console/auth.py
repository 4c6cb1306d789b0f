"""Sign-in, sign-out, and the middleware that keeps /console behind a session and every form behind CSRF."""
from __future__ import annotations

import secrets

from aiohttp import web

from bot.keys import CONFIG
from bot.web.console.common import USER, form_value, read, redirect, render, write
from bot.web.console.common import now as clock_now
from handlers import accounts

COOKIE = "gridbot_console"
LOGIN_COOKIE = "gridbot_login"  # double-submit token of the sign-in form (no session exists yet)
PUBLIC = ("/console/login", "/console/static/")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@web.middleware
async def console_session(request: web.Request, handler):  # noqa: ANN001, ANN201
    path = request.path
    if not (path == "/console" or path.startswith("/console/")) or path.startswith(PUBLIC):
        return await handler(request)
    secret = request.cookies.get(COOKIE, "")
    signed = await read(request, lambda s: accounts.signed_in(s, secret=secret, now=clock_now(request))) \
        if secret else None
    if signed is None:
        if request.method in UNSAFE:
            raise web.HTTPForbidden(text="请先登录")
        raise redirect(f"/console/login?next={request.path_qs}" if path != "/console" else "/console/login")
    if request.method in UNSAFE:
        form = await request.post()
        if not accounts.csrf_ok(signed.csrf, form.get("csrf") or request.headers.get("X-CSRF-Token")):
            raise web.HTTPForbidden(text="表单已失效，请刷新页面后重试（CSRF）")
    request[USER] = signed
    return await handler(request)


def _cookie_args(request: web.Request, max_age: int) -> dict:
    return {"httponly": True, "samesite": "Strict", "path": "/console", "max_age": max_age,
            "secure": request.app[CONFIG].console.secure_cookie}


async def login_page(request: web.Request) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", login_csrf=token, next=_safe_next(request.query.get("next")),
                      error=request.query.get("error"), person_id=request.query.get("person", ""))
    response.set_cookie(LOGIN_COOKIE, token, **_cookie_args(request, 1800))
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    target = _safe_next(form_value(form, "next"))
    if not accounts.csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")):
        raise redirect("/console/login?error=expired")
    person_id, password = form_value(form, "person"), str(form.get("password") or "")
    hours = request.app[CONFIG].console.session_hours
    found = await write(request, lambda s: accounts.sign_in(s, person_id=person_id, password=password,
                                                             now=clock_now(request), hours=hours))
    if found is None:
        raise redirect(f"/console/login?error=bad&person={person_id}&next={target}")
    secret, _ = found
    response = web.HTTPSeeOther(target)
    response.set_cookie(COOKIE, secret, **_cookie_args(request, hours * 3600))
    response.del_cookie(LOGIN_COOKIE, path="/console")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    secret = request.cookies.get(COOKIE, "")
    await write(request, lambda s: accounts.sign_out(s, secret=secret))
    response = web.HTTPSeeOther("/console/login")
    response.del_cookie(COOKIE, path="/console")
    raise response


def _safe_next(target: str | None) -> str:
    """Only a path inside the console: never an open redirect to another site."""
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return "/console/cases"
