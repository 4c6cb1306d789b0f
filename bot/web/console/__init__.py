"""/console: the officers' web console, served by the bot. Server-rendered pages (Jinja2, autoescaped) with a
little JavaScript, all assets shipped in the package; sign-in per person, sessions with expiry, CSRF on every form.
Views are thin: what a page shows and what an action does is decided in handlers/."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.web.console import alerts, auth, broadcasts, cases, exports, households, reports, week
from bot.web.console.common import TEMPLATES, make_templates

STATIC = Path(__file__).resolve().parent / "static"
middleware = auth.console_session


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/console/cases")


def add_routes(app: web.Application) -> None:
    app[TEMPLATES] = make_templates()
    r = app.router
    r.add_static("/console/static/", STATIC, append_version=False)
    r.add_get("/console", home)
    r.add_get("/console/login", auth.login_page)
    r.add_post("/console/login", auth.login)
    r.add_post("/console/logout", auth.logout)
    r.add_get("/console/cases", cases.board_page)
    r.add_get("/console/cases/{case_id}", cases.case_view)
    r.add_post("/console/cases/{case_id}/consent", cases.record_consent)
    r.add_post("/console/cases/{case_id}/papers", cases.make_paper)
    r.add_get("/console/cases/{case_id}/papers/{doc_id}", cases.download_paper)
    r.add_post("/console/cases/{case_id}/{action}", cases.case_action)
    r.add_get("/console/agenda", week.agenda_page)
    r.add_get("/console/broadcasts", broadcasts.composer)
    r.add_post("/console/broadcasts", broadcasts.preview)
    r.add_post("/console/broadcasts/{broadcast_id}/confirm", broadcasts.confirm)
    r.add_post("/console/broadcasts/{broadcast_id}/retry", broadcasts.retry)
    r.add_get("/console/broadcasts/{broadcast_id}", broadcasts.status_page)
    r.add_get("/console/broadcasts/{broadcast_id}/status", broadcasts.status_json)
    r.add_get("/console/alerts", alerts.alerts_page)
    r.add_get("/console/reports", reports.reports_page)
    r.add_get("/console/exports", exports.exports_page)
    r.add_get("/console/exports/{name}", exports.download)
    households.add_routes(r)
