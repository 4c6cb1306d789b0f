"""Helpers for console tests: passwords, signing in through the real form, posting forms with the CSRF token."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine

from handlers.accounts import set_password
from storage.db import session as new_session
from storage.models import Person

PASSWORD = "correct-horse-1"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def give_password(engine: Engine, *person_ids: str, password: str = PASSWORD) -> None:
    with new_session(engine) as session:
        for person_id in person_ids:
            set_password(session, person=session.get(Person, person_id), password=password,
                         now=datetime.now(timezone.utc))
        session.commit()


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in(client: TestClient, person_id: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token (read from the board page)."""
    page = await client.get("/console/login")
    login_csrf = csrf_of(await page.text())
    resp = await client.post("/console/login", data={"person": person_id, "password": password, "csrf": login_csrf,
                                                     "next": "/console/cases"}, allow_redirects=False)
    assert resp.status == 303, await resp.text()
    assert resp.headers["Location"] == "/console/cases", "the password was refused"
    board = await client.get("/console/cases")
    assert board.status == 200
    return csrf_of(await board.text())


async def post(client: TestClient, path: str, csrf: str | None, **fields: str):  # noqa: ANN201
    data = dict(fields)
    if csrf is not None:
        data["csrf"] = csrf
    return await client.post(path, data=data, allow_redirects=False)


async def follow(client: TestClient, resp) -> str:  # noqa: ANN001
    """The page a form's 303 leads to (flash messages included)."""
    assert resp.status == 303, await resp.text()
    page = await client.get(resp.headers["Location"])
    return await page.text()


async def signed_in(browser, server, person: str, viewport=None):  # noqa: ANN001, ANN201
    """A browser page signed in to the console as ``person`` (password PASSWORD), on the case board."""
    from tests.fakes.browser import new_page  # playwright only for the browser tests

    page = await new_page(browser, str(server.make_url("/")), viewport)
    await page.goto("/console")
    await page.fill("#person", person)
    await page.fill("#password", PASSWORD)
    await page.click("#login button[type=submit]")
    await page.wait_for_url("**/console/cases")
    return page
