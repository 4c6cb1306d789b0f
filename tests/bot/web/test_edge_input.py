"""Input no route can use is a JSON 4xx on every route, never a 500: bad path ids (``²``, 10**20), NUL and lone
surrogates in query values, JSON bodies and forms, deeply nested JSON; and commands naming such ids answer the
officer with the usage instead of crashing (and being retried)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.ids import MAX_ID, parse_id
from tests.bot.web.test_case_api import token_for
from tests.factories import SANDBOX_HEADERS

BAD_PATHS = [
    "/api/cases/%C2%B2", "/api/cases/100000000000000000000", "/api/cases/2147483648", "/api/cases/0",
    "/api/cases/%C2%B2/media", "/api/dissuasions/%C2%B2", "/api/dissuasions/99999999999999999999",
    "/media/%C2%B2", "/console/cases/%C2%B2", "/console/cases/100000000000000000000",
    "/console/broadcasts/%C2%B2", "/console/broadcasts/100000000000000000000/status",
    "/api/cases?grid_id=%00", "/api/cases?status=%00x", "/api/cases?kind=" + "k" * 3000,
    "/api/media?case_id=%C2%B2", "/api/media?case_id=100000000000000000000",
    "/api/households/%00", "/sandbox/received?chat_id=%00", "/sandbox/sent?chat_id=%00",
]
NESTED = b"[" * 50_000 + b"]" * 50_000
DEEP_OBJECT = b'{"text": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}"
SURROGATE = b'{"kind": "dispute", "grid_id": "grid-1", "text": "\\ud800 \xe6\xa5\xbc\xe4\xb8\x8a\xe5\x90\xb5"}'
NUL = b'{"kind": "dispute", "grid_id": "grid-1", "text": "\\u0000 noise"}'


@pytest.mark.parametrize("path", BAD_PATHS)
async def test_bad_path_and_query_values_are_a_json_4xx(bot, path):
    resp = await bot.client.get(path, headers={"Authorization": "Bearer dev-token", **SANDBOX_HEADERS},
                                allow_redirects=False)
    assert 400 <= resp.status < 500, (path, resp.status)
    assert "error" in await resp.json()


@pytest.mark.parametrize("path", ["/api/cases?page=100000000000000000000", "/api/cases?per_page=" + "9" * 5000,
                                  "/api/cases?grid_id=%ED%A0%80", "/api/cases?updated_since=%C2%B2"])
async def test_out_of_range_query_values_are_answered_not_a_500(bot, path):
    resp = await bot.client.get(path, headers={"Authorization": "Bearer dev-token"})
    assert resp.status in (200, 400), resp.status  # invalid UTF-8 arrives as U+FFFD, a page past the end is empty
    assert (await resp.json()) == [] or "error" in await resp.json()


@pytest.mark.parametrize("body", [NESTED, DEEP_OBJECT, SURROGATE, NUL], ids=["nested", "deep", "surrogate", "nul"])
@pytest.mark.parametrize("path", ["/api/cases", "/api/cases/1/notes", "/api/cases/1/status", "/api/dissuasions"])
async def test_bodies_the_database_cannot_hold_are_a_json_400(bot, body, path):
    headers = {"Authorization": f"Bearer {token_for(_with_now(bot), 'officer-2')}", "Content-Type": "application/json"}
    resp = await bot.client.post(path, data=body, headers=headers)
    assert resp.status == 400, (path, resp.status, await resp.text())
    assert "error" in await resp.json()


@pytest.mark.parametrize("body", [NESTED, DEEP_OBJECT.replace(b'{"text": ', b'{"group_id": "grid-1", "text": ')],
                         ids=["nested", "deep"])
async def test_nested_json_to_the_sandbox_is_a_json_400(bot, body):
    resp = await bot.client.post("/sandbox/messages", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 400 and "error" in await resp.json()


@pytest.mark.parametrize("path", ["/console/login", "/console/cases/1/note", "/console/broadcasts"])
async def test_console_form_fields_with_nul_are_a_json_400(bot, path):
    # (a lone surrogate cannot arrive in a form: invalid UTF-8 there is read as U+FFFD)
    resp = await bot.client.post(path, data=b"person=officer-2&password=x&text=a%00b", allow_redirects=False,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 400 and "error" in await resp.json()


def _with_now(bot):  # noqa: ANN001, ANN202
    from bot.keys import CLOCK

    bot.app_now = bot.app[CLOCK].now
    return bot


BAD_COMMANDS = ["/case ²", "/close ² 调解成功", "/confirm ²", "/take ²", "/note ² 备注", "/reopen ² 原因",
                "/case 100000000000000000000", "/close 99999999999999999999 x", "/confirm 100000000000000000000",
                "/hard ²", "/case ٣x", "/dissuaded ² 已见面劝阻成功", "/progress ²", "/progress 100000000000000000000"]


@pytest.mark.parametrize("command", BAD_COMMANDS)
async def test_commands_with_a_number_that_is_none_answer_the_usage(bot, command):
    sent = await bot.talk("officer-2", "officer-2", command, direct=True)
    assert len(sent) == 1 and sent[0]["text"].startswith("用法："), sent


@given(st.text(max_size=30))
def test_parse_id_gives_a_storable_id_or_none(raw):
    value = parse_id(raw)
    assert value is None or (1 <= value <= MAX_ID and str(value) in raw.translate(
        str.maketrans("０１２３４５６７８９", "0123456789")))


def test_parse_id_reads_what_people_type():
    assert [parse_id(t) for t in ("12", " #12 ", "１２", "²", "0", "1e3", "-1", str(MAX_ID), str(MAX_ID + 1))] == [
        12, 12, 12, None, None, None, None, MAX_ID, None]

