"""A seeded case history for the figures (/stats, the digest, the Friday agenda): RECENT cases of every kind and
status over the last weeks, with their events, satisfaction, the messages that opened them and officers'
corrections, on top of OLD closed cases spread over the two years before. Deterministic (one seed), the same rows
on SQLite and PostgreSQL; bench/stats_bench.py grows OLD, tests/handlers/test_figures_regression.py pins the
figures of a small one."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from storage.models import AgendaItem, Case, CaseEvent, ChatGroup, Correction, Grid, Message, Person

KINDS = ("dispute", "inquiry", "fraud", "help")
SUBTYPES = ("noise", "neighbor", "family", "economic", "property", "landlord_tenant", "other")
STATUSES = ("open", "assigned", "in_progress", "resolved", "closed")
TEXTS = ("楼上半夜装修吵得睡不着，8栋2单元", "邻居的狗天天叫", "请问办居住证要带什么材料", "有人冒充客服让我转账",
         "我家老人摔倒了，电话13812345678", "楼道里堆满了杂物", "房东不退押金", "孩子办身份证需要什么")
RESPONSES = ("taken", "replied", "acknowledged", "note")
BATCH = 5_000
Seeded = tuple[dict, list, bool, bool]  # the case row, its events, opened by a message, corrected by an officer


def seed_cases(engine: Engine, *, now: datetime, recent: int, old: int, recent_days: int = 45,
               seed: int = 3) -> None:
    """Insert ``old`` closed cases older than ``recent_days``, then ``recent`` cases of the last ``recent_days``."""
    rng, old_rng = random.Random(seed), random.Random(seed + 1)  # the recent cases the same however many old ones
    with engine.begin() as conn:
        staff = _staff(conn)
        next_id = (conn.execute(select(Case.id).order_by(Case.id.desc()).limit(1)).scalar() or 0) + 1
        for start in range(0, old, BATCH):
            rows = [_old_case(old_rng, staff, now - timedelta(days=recent_days + 1 + old_rng.uniform(0, 730)))
                    for _ in range(start, min(old, start + BATCH))]
            next_id = _insert(conn, rows, next_id)
        for start in range(0, recent, BATCH):
            rows = [_recent_case(rng, staff, now, now - timedelta(days=rng.uniform(0, recent_days)))
                    for _ in range(start, min(recent, start + BATCH))]
            next_id = _insert(conn, rows, next_id)
        _carried(conn, rng, now)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('\"case\"', 'id'), "
                              "(SELECT max(id) FROM \"case\"))"))
        conn.execute(text("ANALYZE"))


def _staff(conn: Any) -> dict[str, Any]:
    grids = [(g.id, g.officer_id) for g in conn.execute(select(Grid.id, Grid.officer_id).order_by(Grid.id))]
    chats = {g.grid_id: (g.id, g.chat_id) for g in conn.execute(select(ChatGroup).order_by(ChatGroup.id))}
    mediators = list(conn.execute(select(Person.id).where(Person.role == "mediator").order_by(Person.id)).scalars())
    return {"grids": grids, "chats": chats, "mediators": mediators}


def _case_row(rng: random.Random, staff: dict, created: datetime, status: str) -> dict:
    kind = rng.choices(KINDS, weights=(4, 4, 2, 1))[0]
    grid_id, officer = rng.choice(staff["grids"]) if rng.random() > 0.03 else (None, None)
    return {"kind": kind, "subtype": rng.choice(SUBTYPES) if kind == "dispute" else None,
            "scam_type": "impersonation" if kind == "fraud" else None, "status": status,
            "urgent": rng.random() < (0.5 if kind == "help" else 0.05),
            "hard": kind == "dispute" and rng.random() < 0.1,
            "grid_id": grid_id, "group_id": staff["chats"].get(grid_id, (None,))[0],
            "assignee_id": officer if status != "open" else None,
            "mediator_id": rng.choice(staff["mediators"]) if kind == "dispute" and rng.random() < 0.6 else None,
            "reporter_id": f"resident-{rng.randrange(200)}", "text": rng.choice(TEXTS), "level": "grid",
            "created_at": created, "updated_at": created}


def _old_case(rng: random.Random, staff: dict, created: datetime) -> Seeded:
    row = _case_row(rng, staff, created, "closed")
    done = created + timedelta(hours=rng.uniform(1, 200))
    row.update(outcome="已处理", resolved_at=done, closed_at=done, updated_at=done)
    events = [("gridbot", "opened", created), (row["assignee_id"] or "officer-1", "closed", done)]
    return row, events, rng.random() < 0.7, False


def _recent_case(rng: random.Random, staff: dict, now: datetime, created: datetime) -> Seeded:
    status = rng.choices(STATUSES, weights=(2, 2, 2, 2, 3))[0]
    row = _case_row(rng, staff, created, status)
    officer = row["assignee_id"] or "officer-1"
    events = [("gridbot", "opened", created)]
    if rng.random() < 0.3:
        events.append(("gridbot", "assigned", created + timedelta(minutes=1)))  # a system event: not a response
    if status != "open" and rng.random() < 0.85:
        events.append((officer, rng.choice(RESPONSES), created + timedelta(hours=rng.uniform(0.05, 30))))
    if rng.random() < 0.06:
        events.append((officer, "escalated", created + timedelta(hours=rng.uniform(1, 40))))
    if status in ("resolved", "closed"):
        done = min(created + timedelta(hours=rng.uniform(1, 300)), now)
        row.update(resolved_at=done, updated_at=done, outcome="误报" if rng.random() < 0.1 else "调解成功",
                   satisfaction=rng.choice((None, "", "satisfied", "basic", "unsatisfied")))
        if status == "closed":
            row["closed_at"] = done
        events.append((officer, "resolved", done))
    if status in ("in_progress", "resolved") and rng.random() < 0.15:
        events.append((officer, "reopened", min(created + timedelta(hours=rng.uniform(1, 50)), now)))
    return row, events, rng.random() < 0.7, rng.random() < 0.06


def _insert(conn: Any, rows: list[Seeded], next_id: int) -> int:
    cases, events, messages, corrections = [], [], [], []
    for offset, (row, case_events, from_message, corrected) in enumerate(rows):
        case_id = next_id + offset
        cases.append({**row, "id": case_id, "resolved_at": row.get("resolved_at"), "closed_at": row.get("closed_at"),
                      "outcome": row.get("outcome"), "satisfaction": row.get("satisfaction")})
        events += [{"case_id": case_id, "actor_id": actor, "action": action, "at": at, "detail": ""}
                   for actor, action, at in case_events]
        if from_message:
            at = row["created_at"]
            messages.append({"channel": "sandbox", "channel_msg_id": f"seed-{case_id}", "chat_id": "grid-1",
                             "sender_id": row["reporter_id"], "text": row["text"], "reply_hint": {}, "sent_at": at,
                             "received_at": at, "handled_at": at, "intent": row["kind"], "kind": "text",
                             "case_id": case_id})
            if corrected:  # an officer's /wrong: the bot had read it as another kind
                corrections.append({"case_id": case_id, "text": row["text"], "officer_id": "officer-1",
                                    "original_intent": KINDS[(KINDS.index(row["kind"]) + 1) % 4],
                                    "intent": row["kind"], "created_at": at + timedelta(hours=1)})
    conn.execute(insert(Case), cases)
    conn.execute(insert(CaseEvent), events)
    if messages:
        conn.execute(insert(Message), messages)
    if corrections:
        conn.execute(insert(Correction), corrections)
    return next_id + len(rows)


def _carried(conn: Any, rng: random.Random, now: datetime) -> None:
    """Last Friday's agenda: a few of the disputes still active, so that this week's agenda carries them."""
    active = list(conn.execute(select(Case.id).where(Case.kind == "dispute", Case.status != "closed",
                                                     Case.status != "resolved").order_by(Case.id)).scalars())
    week = (now - timedelta(days=7)).date().isoformat()
    chosen = sorted(rng.sample(active, min(5, len(active))))
    if chosen:
        conn.execute(insert(AgendaItem), [{"week": week, "case_id": c, "position": i, "reasons": "old",
                                           "created_at": now - timedelta(days=7)} for i, c in enumerate(chosen, 1)])
