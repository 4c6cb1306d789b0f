"""The read-write case API: per-person tokens (stored hashed), the commands' roles and grid boundaries, the
state machine, paging and updated_since, and an audit row for every write."""
from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from handlers.accounts import create_token
from storage.db import session as new_session
from storage.models import ApiToken, AuditEntry, Case, Person

NOISE = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301"


def token_for(bot, person_id: str) -> str:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as session:
        secret = create_token(session, person=session.get(Person, person_id), label="test", now=bot.app_now())
        session.commit()
    return secret


@pytest.fixture
def api(bot, clock):  # noqa: ANN001, ANN201
    bot.app_now = clock.now

    async def call(method: str, path: str, token: str, body: dict | None = None):  # noqa: ANN202
        resp = await bot.client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
        return resp.status, await resp.json(), resp.headers
    return call


async def noise_case(bot) -> int:  # noqa: ANN001
    await bot.talk("grid-2", "resident-7", NOISE)
    _, rows = await bot.api("/api/cases")
    return rows[0]["id"]


async def test_tokens_are_stored_as_hashes_only(bot, api):
    secret = token_for(bot, "officer-2")
    with new_session(bot.app[ENGINE]) as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in row.token_hash
    status, body, _ = await api("GET", "/api/cases", secret)
    assert status == 200 and body == []
    status, _, _ = await api("GET", "/api/cases", secret + "x")
    assert status == 401


async def test_create_note_and_move_a_case_through_the_state_machine(bot, api):
    secret = token_for(bot, "officer-2")
    status, case, _ = await api("POST", "/api/cases", secret, {"kind": "dispute", "subtype": "neighbor",
                                                                "grid_id": "grid-2", "text": "12345热线转来：邻居占用楼道"})
    assert status == 201 and case["assignee_id"] == "officer-2" and case["mediator_id"] == "mediator-building"
    case_id = case["id"]
    status, body, _ = await api("POST", f"/api/cases/{case_id}/notes", secret, {"text": "已电话联系"})
    assert status == 200 and body["events"][-1]["action"] == "note"
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", secret, {"action": "reopen", "text": "再看"})
    assert status == 409 and "不能重新打开" in body["error"]
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", secret, {"action": "resolve", "text": "已调解"})
    assert status == 200 and body["status"] == "resolved"
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", secret, {"action": "close", "text": "结案"})
    assert status == 200 and body["status"] == "closed"
    with new_session(bot.app[ENGINE]) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "api_write")).all()
    assert len(audited) == 5 and all(a.actor_id == "officer-2" for a in audited)


@pytest.mark.parametrize("body, fragment", [
    ({"kind": "weather", "grid_id": "grid-2", "text": "x"}, "kind"),
    ({"kind": "dispute", "grid_id": "grid-2", "text": "x"}, "subtype"),
    ({"kind": "inquiry", "grid_id": "grid-9", "text": "x"}, "grid_id"),
    ({"kind": "inquiry", "grid_id": "grid-2", "text": "  "}, "text"),
])
async def test_bad_cases_are_refused_and_audited(bot, api, body, fragment):
    secret = token_for(bot, "officer-2")
    status, answer, _ = await api("POST", "/api/cases", secret, body)
    assert status == 400 and fragment in answer["error"]
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(Case)).all() == []
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "api_write")).all()) == 1


async def test_an_officer_cannot_create_in_another_grid(bot, api):
    status, answer, _ = await api("POST", "/api/cases", token_for(bot, "officer-1"),
                                  {"kind": "inquiry", "grid_id": "grid-2", "text": "办居住证要什么材料"})
    assert status == 403 and "grid-2" in answer["error"]


async def test_a_mediator_cannot_see_or_change_a_case_not_assigned_to_them(bot, api):
    case_id = await noise_case(bot)  # its mediator is mediator-property
    other = token_for(bot, "mediator-judicial")
    status, rows, _ = await api("GET", "/api/cases", other)
    assert status == 200 and rows == []
    assert (await api("GET", f"/api/cases/{case_id}", other))[0] == 404
    for path, body in ((f"/api/cases/{case_id}/notes", {"text": "看看"}),
                       (f"/api/cases/{case_id}/status", {"action": "resolve", "text": "化解"})):
        assert (await api("POST", path, other, body))[0] == 404
    own = token_for(bot, "mediator-property")
    status, rows, _ = await api("GET", "/api/cases", own)
    assert [r["id"] for r in rows] == [case_id]
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", own, {"action": "close", "text": "结"})
    assert status == 403, "closing is an officer's action"
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", own, {"action": "resolve", "text": "已调解"})
    assert status == 200 and body["status"] == "resolved"
    with new_session(bot.app[ENGINE]) as session:
        assert session.get(Case, case_id).status == "resolved"


async def test_the_config_token_reads_but_never_writes(bot, api):
    case_id = await noise_case(bot)
    status, body, _ = await api("POST", f"/api/cases/{case_id}/notes", "dev-token", {"text": "x"})
    assert status == 403 and "gridbot token create" in body["error"]


async def test_paging_and_updated_since(bot, api, clock):
    for n in range(5):
        await bot.talk("grid-2", f"resident-{n}", f"{n + 1}栋楼下的烧烤店油烟太大 天天熏得开不了窗")
        clock.advance(minutes=1)
    secret = token_for(bot, "duty-1")
    status, page1, headers = await api("GET", "/api/cases?per_page=2", secret)
    assert status == 200 and len(page1) == 2 and headers["X-Total-Count"] == "5" and 'rel="next"' in headers["Link"]
    _, page3, headers = await api("GET", "/api/cases?per_page=2&page=3", secret)
    assert len(page3) == 1 and "Link" not in headers
    cutoff = page1[1]["updated_at"]
    _, newer, _ = await api("GET", f"/api/cases?updated_since={cutoff}", secret)
    assert [c["id"] for c in newer] == [page1[0]["id"]]
    status, body, _ = await api("GET", "/api/cases?updated_since=yesterday", secret)
    assert status == 400 and "ISO" in body["error"]


@pytest.mark.parametrize("who, raw", [("officer-2", True), ("duty-1", True), ("worker-2", False), (None, True)])
async def test_the_case_list_is_masked_and_the_case_raw_only_for_the_grids_police(bot, api, who, raw):
    phone = "138-1234-5678"
    await bot.talk("grid-2", "resident-7", f"{NOISE}，电话{phone}")
    secret = token_for(bot, who) if who else "dev-token"
    _, rows, _ = await api("GET", "/api/cases", secret)
    assert rows and all(phone not in r["text"] for r in rows)
    _, case, _ = await api("GET", f"/api/cases/{rows[0]['id']}", secret)
    assert (phone in case["text"]) is raw


async def test_wrong_runs_the_wrong_command_with_an_optional_kind(bot, api):
    case_id = await noise_case(bot)
    worker = token_for(bot, "worker-2")
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", worker, {"action": "wrong"})
    assert status == 403
    officer = token_for(bot, "officer-2")
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", officer,
                                {"action": "wrong", "kind": "纠纷", "subtype": "property", "text": "其实是物业的事"})
    assert status == 200 and (body["kind"], body["subtype"]) == ("dispute", "property")
    assert "更正为“矛盾纠纷/物业纠纷”" in body["messages"][0]
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", officer, {"action": "wrong", "kind": "火星"})
    assert status == 409 and body["error"].startswith("用法：/wrong")
    status, body, _ = await api("POST", f"/api/cases/{case_id}/status", officer, {"action": "wrong", "text": "玩笑"})
    assert status == 200 and (body["status"], body["outcome"]) == ("closed", "误报")
