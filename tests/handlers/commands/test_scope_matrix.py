"""Role × command × grid: every command of the routes, typed by every role (a resident, a grid worker, a grid's
officer, the station-wide duty officer, a mediator, an admin), on its own grid's case / household / draft and on
another grid's. Each cell is either allowed (the command passes the gates and answers) or refused with one clear
Chinese sentence: the role refusal, or the grid (or case, or draft) boundary. A new command without a row fails."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from sqlmodel import select

from bot.keys import CLOCK, ENGINE
from handlers import texts
from handlers.dispatch import build_routes
from storage import groups
from storage.db import session
from storage.models import Broadcast, Case, Dissuasion, Person
from tests.handlers.households.conftest import roster as households_roster

pytestmark = pytest.mark.postgres

# who: (person id, the grid that is "own" for them); a mediator's "own" case is one they mediate
PEOPLE = {
    "resident": "resident-7", "grid_worker": "worker-2", "officer": "officer-2", "station_officer": "duty-1",
    "mediator": "mediator-property", "admin": "admin-1",
}
STATION_WIDE = {"station_officer", "admin"}
GRID_BOUND = {"grid_worker", "officer"}

ROLE_REFUSAL = "只有"  # texts.REFUSED_ROLE: "抱歉，/{command} 只有{roles}可以使用。…"


@dataclass(frozen=True)
class Row:
    template: str  # {case} {grid} {resident} {household} {draft} {task} filled per cell
    scope: Callable[[str, bool], bool] | None = None  # (who, own) → allowed past the boundary; None: no boundary
    refusal: str = ""  # the boundary's refusal (a fragment of its Chinese text)
    case_status: str = "assigned"


def _case_rule(who: str, own: bool) -> bool:
    return who in STATION_WIDE or own


def _grid_rule(who: str, own: bool) -> bool:
    return who in STATION_WIDE or (own and who in GRID_BOUND)


def _household_rule(who: str, own: bool) -> bool:  # a resident or a mediator is no caretaker of these households
    return who in STATION_WIDE or (own and who in GRID_BOUND)


def _draft_rule(who: str, own: bool) -> bool:
    return own or who == "admin"


def _progress_rule(who: str, own: bool) -> bool:
    return who == "resident" and own


CASE = texts.NOT_YOUR_GRID.split("号", 1)[1][:8]  # 不属于您负责的网格 (a mediator: 不是您负责调解的案件)
MATRIX: dict[str, Row] = {
    "help": Row("/help"),
    "station": Row("/station"),
    "bind": Row("/bind {grid}"),
    "unbind": Row("/unbind"),
    "case": Row("/case {case}", _case_rule, CASE),
    "reply": Row("/reply {case} 已收到，马上安排处理", _case_rule, CASE),
    "close": Row("/close {case} 已处理", _case_rule, CASE),
    "wrong": Row("/wrong {case} 误报", _case_rule, CASE),
    "take": Row("/take {case}", _case_rule, CASE),
    "assign": Row("/assign {case} duty-1", _case_rule, CASE),
    "transfer": Row("/transfer {case} duty-1", _case_rule, CASE),
    "note": Row("/note {case} 已电话联系", _case_rule, CASE),
    "resolve": Row("/resolve {case} 双方和解", _case_rule, CASE),
    "reopen": Row("/reopen {case} 居民不满意", _case_rule, CASE, case_status="resolved"),
    "escalate": Row("/escalate {case} 需要社区协调", _case_rule, CASE),
    "hard": Row("/hard {case}", _case_rule, CASE),
    "mine": Row("/mine"),
    "stats": Row("/stats {grid}"),  # figures only, no resident's data: any grid
    "broadcast": Row("/broadcast {grid} 近期冒充客服退款诈骗高发"),  # the police warn any grid's groups
    "confirm": Row("/confirm {draft}", _draft_rule, "只有起草人或管理员"),
    "scamword": Row("/scamword list"),
    "agenda": Row("/agenda"),
    "checkin": Row("/checkin {resident} ok", _household_rule, "没有找到住户"),
    "visit": Row("/visit {household} 反诈宣传 已装APP", _household_rule, "里没有户"),
    "unvisited": Row("/unvisited {grid}", _household_rule, "没有编号为"),
    "dissuade": Row("/dissuade {resident} 对方要求转账到安全账户", _household_rule, "没有找到住户"),
    "dissuaded": Row("/dissuaded {task} 已见面劝阻成功", _household_rule, "不属于您负责的网格"),
    "faq": Row("/faq learn {case}", _case_rule, CASE),
    "progress": Row("/progress {case}", _progress_rule, "只能查询自己反映的事项"),
}
PLACES = {  # own: grid-2 (officer-2, worker-2; the property mediator's noise case), other: grid-1
    True: {"grid": "grid-2", "resident": "周梅", "household": "g2-1103"},
    False: {"grid": "grid-1", "resident": "王秀英", "household": "g1-0101"},
}


roster = households_roster  # the demo households imported: /checkin, /visit, /dissuade have someone to act on


def test_the_matrix_has_a_row_for_every_command():
    assert set(MATRIX) == set(build_routes().commands)


def _add_case(bot, *, own: bool, status: str, reporter: str) -> int:  # noqa: ANN001
    now = bot.app[CLOCK].now()
    grid = PLACES[own]["grid"]
    with session(bot.app[ENGINE]) as s:
        if s.get(Person, reporter) is None:
            s.add(Person(id=reporter, name=reporter, role="resident", grid_id=grid))
        group = groups.find_group(s, channel="sandbox", chat_id=grid)
        case = Case(kind="dispute", subtype="noise" if own else "neighbor", grid_id=grid, group_id=group.id,
                    reporter_id=reporter, text="楼上半夜蹦迪，吵得睡不着", status=status,
                    assignee_id="officer-2" if own else "officer-1",
                    mediator_id="mediator-property" if own else "mediator-building", created_at=now, updated_at=now)
        s.add(case)
        s.commit()
        return case.id


def _last_id(bot, table: type) -> int:  # noqa: ANN001
    with session(bot.app[ENGINE]) as s:
        return s.exec(select(table.id).order_by(table.id.desc())).first()


async def _fill(bot, row: Row, who: str, own: bool) -> str:  # noqa: ANN001
    person = PEOPLE[who]
    values = dict(PLACES[own])
    if "{case}" in row.template:  # the resident's "own" case is one they reported
        reporter = person if who == "resident" and own else "resident-1"
        values["case"] = _add_case(bot, own=own, status=row.case_status, reporter=reporter)
    if "{draft}" in row.template:
        drafter = person if own and who in ("officer", "station_officer", "admin") else "officer-1"
        await bot.talk(drafter, drafter, "/broadcast grid-2 近期冒充客服退款诈骗高发", direct=True)
        values["draft"] = _last_id(bot, Broadcast)
    if "{task}" in row.template:
        await bot.talk("duty-1", "duty-1", f"/dissuade {values['resident']} 对方要求转账到安全账户", direct=True)
        values["task"] = _last_id(bot, Dissuasion)
    return row.template.format(**values)


@pytest.mark.parametrize("command", sorted(MATRIX))
async def test_role_command_grid_matrix(roster, command):
    row, cmd = MATRIX[command], build_routes().commands[command]
    results = []
    for who, person in PEOPLE.items():
        role = person_role = who if who not in STATION_WIDE else {"station_officer": "officer", "admin": "admin"}[who]
        for own in (True, False):
            text = await _fill(roster, row, who, own)
            answers = [m["text"] for m in await roster.talk(person, person, text, direct=True) if m["chat_id"] == person]
            said = "\n".join(answers)
            if person_role not in cmd.roles:
                expected = "role"
            elif row.scope is not None and not row.scope(who, own):
                expected = "boundary"
            else:
                expected = "allowed"
            refused_role = said.startswith("抱歉，/") and ROLE_REFUSAL in said
            crossed = bool(row.refusal) and (row.refusal in said or "不是您负责调解的案件" in said)
            got = "role" if refused_role else "boundary" if crossed else "allowed" if answers else "silent"
            results.append((who, "own" if own else "other", role, expected, got, said[:60]))
    wrong = [r for r in results if r[3] != r[4]]
    assert not wrong, "\n".join(map(str, wrong))
    assert len(results) == len(PEOPLE) * 2
