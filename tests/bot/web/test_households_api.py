"""The anti-fraud centre's warning feed (POST /api/dissuasions) and the audited household record
(GET /api/households/{id}), behind the API's bearer token."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.importing import run_import
from bot.keys import CLOCK, ENGINE
from handlers.accounts import create_token
from storage.db import session as new_session
from storage.models import AuditEntry, Person
from tests.handlers.households.demo_roster import DEMO_XLSX

pytestmark = pytest.mark.postgres
AUTH: dict[str, str] = {}  # the feed's own token (the station's duty officer), made by the roster fixture


def token_for(bot, person_id: str) -> dict[str, str]:  # noqa: ANN001
    """A person's API token, as `gridbot token create PERSON` makes it."""
    with new_session(bot.app[ENGINE]) as s:
        secret = create_token(s, person=s.get(Person, person_id), label="test", now=bot.app[CLOCK].now())
        s.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
async def roster(bot):  # noqa: ANN001, ANN201
    ok, lines = run_import(bot.app[ENGINE], kind="households", path=DEMO_XLSX, dry_run=False, now=bot.app[CLOCK].now())
    assert ok, lines
    AUTH.clear()
    AUTH.update(token_for(bot, "duty-1"))
    return bot


async def post(bot, body, headers=None):  # noqa: ANN001, ANN201
    resp = await bot.client.post("/api/dissuasions", json=body, headers=AUTH if headers is None else headers)
    return resp.status, await resp.json()


async def test_a_warning_from_the_feed_becomes_a_task_for_the_grid_once(roster):
    body = {"id": "FZ-20261102-0001", "phone": "139 0000 0801", "text": "与诈骗号码通话12分钟，疑似刷单返利"}
    status, task = await post(roster, body)
    assert status == 201 and task["matched"] and task["household_id"] == "g2-0801" and task["grid_id"] == "grid-2"
    await roster.step()
    assert any("【预警劝阻】任务1号" in m["text"] and "刘淑芬" in m["text"] for m in await roster.sent("worker-2"))
    assert any("【预警劝阻】" in m["text"] for m in await roster.sent("officer-2"))
    status, again = await post(roster, body)  # the feed sends it again
    assert status == 200 and again["id"] == task["id"]
    resp = await roster.client.get(f"/api/dissuasions/{task['id']}", headers=AUTH)
    assert resp.status == 200 and (await resp.json())["state"] == "open"


async def test_a_warning_about_someone_not_on_the_roster_goes_to_the_duty_officer(roster):
    roster.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    status, task = await post(roster, {"phone": "13700000000", "text": "疑似冒充客服退款"})
    assert status == 201 and not task["matched"]
    await roster.step()
    [card] = [m["text"] for m in await roster.sent("duty-1")]
    assert card.startswith("【预警劝阻·名单外】任务1号：预警对象“13700000000”不在住户名单中")


@pytest.mark.parametrize("body, error", [
    ({"phone": "13900000801"}, "text: required"),
    ({"text": "x"}, "phone or name: required"),
    ({"text": "x", "name": "刘淑芬", "minutes": "soon"}, "minutes: an integer from 1 to 1440"),
    ([1, 2], "body must be a JSON object"),
])
async def test_a_bad_warning_is_refused_and_nothing_is_made(roster, body, error):
    assert await post(roster, body) == (400, {"error": error})
    resp = await roster.client.get("/api/dissuasions/1", headers=AUTH)
    assert resp.status == 404


async def test_the_feed_needs_the_token(roster):
    status, _ = await post(roster, {"phone": "13900000801", "text": "x"}, headers={})
    assert status == 401


async def test_every_read_of_a_household_record_is_audited(roster):
    resp = await roster.client.get("/api/households/g1-0101", headers=AUTH)
    record = await resp.json()
    assert resp.status == 200 and record["residents"][0]["flags"] == ["alone_elderly"]
    assert (await roster.client.get("/api/households/nope", headers=AUTH)).status == 404
    with new_session(roster.app[ENGINE]) as s:
        [entry] = s.exec(select(AuditEntry).where(AuditEntry.action == "read_household")).all()
    assert (entry.actor_id, entry.detail) == ("duty-1", "api g1-0101 vulnerable")


async def test_household_records_need_a_persons_token_in_their_own_grids(roster):
    """The config's read-only token reads no household; another grid's officer gets 404, like an unknown one."""
    dev = {"Authorization": "Bearer dev-token"}
    assert (await roster.client.get("/api/households/g1-0101", headers=dev)).status == 403
    assert (await roster.client.get("/api/households/g1-0101", headers=token_for(roster, "officer-2"))).status == 404
    assert (await roster.client.get("/api/households/g1-0101", headers=token_for(roster, "officer-1"))).status == 200
