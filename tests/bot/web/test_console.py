"""The officers' console over HTTP: sign-in, sessions, CSRF, the board, the case page and its actions, and the
grid boundaries (a mediator sees only the cases given to them)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from handlers.accounts import AccountError, check_password, hash_password, set_password
from storage.db import session as new_session
from storage.models import Case, Person, WebSession
from tests.bot.web.console_kit import PASSWORD, follow, give_password, post, sign_in

NOISE = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话13912345678"


async def report(bot, chat: str = "grid-2", sender: str = "resident-7", text: str = NOISE) -> int:  # noqa: ANN001
    await bot.talk(chat, sender, text)
    _, rows = await bot.api("/api/cases")
    return rows[0]["id"]


def case_row(bot, case_id: int) -> Case:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as session:
        return session.get(Case, case_id)


def test_passwords_are_scrypt_hashes_and_checked():
    stored = hash_password("a long password")
    assert stored.startswith("scrypt$16384$8$1$") and "a long password" not in stored
    assert check_password("a long password", stored) and not check_password("a long passwore", stored)
    assert not check_password("x", "plain-text") and hash_password("same") != hash_password("same")


async def test_the_console_is_behind_a_sign_in(bot):
    resp = await bot.client.get("/console/cases", allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"].startswith("/console/login")
    resp = await bot.client.post("/console/cases/1/take", data={}, allow_redirects=False)
    assert resp.status == 403
    login = await bot.client.get("/console/login")
    assert login.status == 200 and 'src="http' not in await login.text(), "nothing from a CDN"


async def test_a_wrong_password_is_refused_and_the_right_one_signs_in(bot):
    give_password(bot.app[ENGINE], "officer-2")
    page = await bot.client.get("/console/login")
    from tests.bot.web.console_kit import csrf_of
    token = csrf_of(await page.text())
    resp = await bot.client.post("/console/login", data={"person": "officer-2", "password": "nope-nope", "csrf": token},
                                 allow_redirects=False)
    assert resp.status == 303 and "error=bad" in resp.headers["Location"]
    assert (await bot.client.get("/console/cases", allow_redirects=False)).status == 303
    await sign_in(bot.client, "officer-2")
    page = await (await bot.client.get("/console/cases")).text()
    assert "李警官" in page and "案件看板" in page


async def test_repeated_wrong_passwords_lock_the_sign_in_for_a_while(bot, clock):
    from handlers.accounts import LOCKOUT, MAX_FAILURES
    from storage.models import AuditEntry
    from tests.bot.web.console_kit import csrf_of

    give_password(bot.app[ENGINE], "officer-2")
    for _ in range(MAX_FAILURES):
        token = csrf_of(await (await bot.client.get("/console/login")).text())
        await bot.client.post("/console/login", data={"person": "officer-2", "password": "guess-guess", "csrf": token},
                              allow_redirects=False)
    token = csrf_of(await (await bot.client.get("/console/login")).text())
    resp = await bot.client.post("/console/login", data={"person": "officer-2", "password": PASSWORD, "csrf": token},
                                 allow_redirects=False)
    assert "error=bad" in resp.headers["Location"], "even the right password waits"
    clock.advance(LOCKOUT)
    await sign_in(bot.client, "officer-2")
    with new_session(bot.app[ENGINE]) as session:
        actions = [a.action for a in session.exec(select(AuditEntry).where(AuditEntry.actor_id == "officer-2"))]
    assert actions.count("console_sign_in_failed") == MAX_FAILURES + 1 and actions.count("console_sign_in") == 1


async def test_the_login_form_needs_its_own_token(bot):
    give_password(bot.app[ENGINE], "officer-2")
    resp = await bot.client.post("/console/login", data={"person": "officer-2", "password": PASSWORD,
                                                         "csrf": "forged"}, allow_redirects=False)
    assert resp.status == 303 and "error=expired" in resp.headers["Location"]


async def test_residents_never_get_a_password_and_short_ones_are_refused(bot, clock):
    await report(bot)
    with new_session(bot.app[ENGINE]) as session:
        with pytest.raises(AccountError, match="only staff"):
            set_password(session, person=session.get(Person, "resident-7"), password=PASSWORD, now=clock.now())
        with pytest.raises(AccountError, match="at least 8"):
            set_password(session, person=session.get(Person, "officer-2"), password="short", now=clock.now())


async def test_a_form_without_the_csrf_token_changes_nothing(bot):
    case_id = await report(bot)
    give_password(bot.app[ENGINE], "officer-2")
    await sign_in(bot.client, "officer-2")
    for token in (None, "forged-token"):
        resp = await post(bot.client, f"/console/cases/{case_id}/take", token)
        assert resp.status == 403
    assert case_row(bot, case_id).status == "assigned"


async def test_a_session_expires(bot, clock, config):
    give_password(bot.app[ENGINE], "officer-2")
    await sign_in(bot.client, "officer-2")
    clock.advance(hours=config.console.session_hours - 1)
    assert (await bot.client.get("/console/cases", allow_redirects=False)).status == 200
    clock.advance(hours=2)
    resp = await bot.client.get("/console/cases", allow_redirects=False)
    assert resp.status == 303 and "/console/login" in resp.headers["Location"]


async def test_signing_out_ends_the_session(bot):
    give_password(bot.app[ENGINE], "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    await post(bot.client, "/console/logout", csrf)
    assert (await bot.client.get("/console/cases", allow_redirects=False)).status == 303
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(WebSession)).all() == []


async def test_the_board_filters_and_counts(bot):
    first = await report(bot)
    await report(bot, "grid-1", "resident-1", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    await report(bot, "grid-2", "resident-8", "有人在群里发刷单返利的广告，说日赚三百，先垫付")
    give_password(bot.app[ENGINE], "duty-1")
    csrf = await sign_in(bot.client, "duty-1")
    await post(bot.client, f"/console/cases/{first}/take", csrf)
    cases = [(label, query, expected) for label, query, expected in [
        ("all", "", {"处理中": 1, "已指派": 2}),
        ("grid", "grid_id=grid-2", {"处理中": 1, "已指派": 1}),
        ("kind", "kind=fraud", {"已指派": 1}),
        ("subtype", "subtype=noise", {"处理中": 1}),
        ("status", "status=assigned", {"已指派": 2}),
        ("assignee", "assignee_id=officer-1", {"已指派": 1}),
        ("overdue", "overdue=1", {}),
        ("dates", "since=2026-11-03", {}),
    ]]
    for label, query, expected in cases:
        html = await (await bot.client.get(f"/console/cases?{query}")).text()
        for status, n in {"待受理": 0, "已指派": 0, "处理中": 0, "已化解": 0, "已结案": 0, **expected}.items():
            assert f'{status} <span class="count">{n}</span>' in html, (label, status, n)


async def test_overdue_cases_are_marked(bot, clock):
    await report(bot)
    clock.advance(days=4)
    give_password(bot.app[ENGINE], "officer-2")
    await sign_in(bot.client, "officer-2")
    html = await (await bot.client.get("/console/cases?overdue=1")).text()
    assert '已指派 <span class="count">1</span>' in html and "超期" in html


async def test_one_case_from_report_to_resolution_in_the_console(bot):
    case_id = await report(bot)
    give_password(bot.app[ENGINE], "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/take", csrf))
    assert f"已接单：{case_id}号由李警官处理" in page
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/reply", csrf,
                                               text="明天上午上门了解情况"))
    assert "已回复" in page
    await bot.step()
    assert any("明天上午上门了解情况" in m["text"] for m in await bot.sent("grid-2")), "the reply reached the group"
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/reopen", csrf, text="试试"))
    assert "不能重新打开" in page, "the state machine refuses, in Chinese"
    await post(bot.client, f"/console/cases/{case_id}/note", csrf, text="已电话联系双方")
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/resolve", csrf,
                                               text="双方约定晚十点后不再放音乐"))
    assert "已化解" in page
    for line in ("登记", "接单", "回复居民", "备注：已电话联系双方", "化解（处理中→已化解）"):
        assert line in page, line
    assert "resolved" not in page.split('id="timeline"')[1].split("</ol>")[0], "no English codes in the timeline"
    assert NOISE in page, "the grid's officer reads the original message as written"
    assert case_row(bot, case_id).status == "resolved"


async def test_mark_wrong_closes_a_false_alarm(bot):
    case_id = await report(bot)
    give_password(bot.app[ENGINE], "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/wrong", csrf, text="邻居开玩笑"))
    assert "已标记为误报并结案" in page and "标记误报" in page
    row = case_row(bot, case_id)
    assert (row.status, row.outcome) == ("closed", "误报")


async def test_the_wrong_form_reroutes_through_the_wrong_command_and_the_reports_count_it(bot):
    case_id = await report(bot)  # a noise dispute of grid 2
    give_password(bot.app[ENGINE], "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    page = await (await bot.client.get(f"/console/cases/{case_id}")).text()
    assert 'data-action="wrong"' in page and '<option value="求助">' in page
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/wrong", csrf, kind="求助",
                                               text="楼上老人摔倒了"))
    assert "更正为“紧急求助”" in page
    row = case_row(bot, case_id)
    assert (row.kind, row.urgent, row.status) == ("help", True, "assigned")
    await bot.step()
    assert "已紧急通知" in (await bot.sent("grid-2"))[-1]["text"], "the resident hears the call for help is known"
    reports = await (await bot.client.get("/console/reports?since=2026-11-01&until=2026-11-30")).text()
    misread = reports.split('id="misread"')[1].split("</table>")[0]
    assert "<td>矛盾纠纷</td><td>1</td><td>0%（0/1）</td><td>1</td>" in misread


@pytest.mark.parametrize("who, sees", [("mediator-property", True), ("mediator-judicial", False),
                                       ("officer-1", False), ("worker-2", True), ("admin-1", True)])
async def test_only_those_in_scope_see_or_change_a_case(bot, who, sees):
    case_id = await report(bot)  # a noise dispute of grid 2: its mediator is mediator-property
    give_password(bot.app[ENGINE], who)
    csrf = await sign_in(bot.client, who)
    page = await bot.client.get(f"/console/cases/{case_id}")
    assert (page.status == 200) is sees
    board = await (await bot.client.get("/console/cases")).text()
    assert (f'data-case="{case_id}"' in board) is sees
    before = case_row(bot, case_id).version
    resp = await post(bot.client, f"/console/cases/{case_id}/note", csrf, text="看一看")
    if sees:
        assert resp.status == 303 and case_row(bot, case_id).version > before
    else:
        assert resp.status == 404 and case_row(bot, case_id).version == before


async def test_a_mediator_cannot_use_an_officers_action(bot):
    case_id = await report(bot)
    give_password(bot.app[ENGINE], "mediator-property")
    csrf = await sign_in(bot.client, "mediator-property")
    page = await (await bot.client.get(f"/console/cases/{case_id}")).text()
    assert 'data-action="close"' not in page and 'data-action="resolve"' in page
    page = await follow(bot.client, await post(bot.client, f"/console/cases/{case_id}/close", csrf, text="结了"))
    assert "只有" in page and case_row(bot, case_id).status == "assigned"


async def test_personal_numbers_are_masked_except_for_the_grids_police(bot):
    case_id = await report(bot)
    for who, raw in (("officer-2", True), ("mediator-property", False), ("worker-2", False)):
        give_password(bot.app[ENGINE], who)
        await sign_in(bot.client, who)
        page = await (await bot.client.get(f"/console/cases/{case_id}")).text()
        assert ("13912345678" in page) is raw and ("139****5678" in page) is not raw, who
        board = await (await bot.client.get("/console/cases")).text()
        assert "13912345678" not in board, "list views are always masked"
        bot.client.session.cookie_jar.clear()


async def test_the_api_token_of_config_cannot_sign_in(bot):
    resp = await bot.client.get("/console/cases", headers={"Authorization": "Bearer dev-token"}, allow_redirects=False)
    assert resp.status == 303


async def test_the_case_page_shows_original_messages_and_linked_reports(bot):
    first = await report(bot)
    await bot.talk("grid-2", "resident-8", "8栋2单元楼上半夜蹦迪 吵得整栋楼睡不着 8栋2单元402")
    await bot.talk("grid-2", "resident-7", "还是很吵")
    give_password(bot.app[ENGINE], "officer-2")
    await sign_in(bot.client, "officer-2")
    page = await (await bot.client.get(f"/console/cases/{first}")).text()
    originals = page.split("原始消息")[1].split("关联反映")[0]
    assert NOISE in originals and "还是很吵" in originals
    linked = page.split("关联反映")[1].split("</section>")[0]
    assert f'href="/console/cases/{first + 1}"' in linked and "噪音扰民" in linked
