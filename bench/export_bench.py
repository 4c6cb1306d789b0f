"""Exports of a whole city's month: a SQLite file seeded with CITY_GRIDS grids and N cases (default 50,000) in one
month, then every export kind as xlsx and csv, against a baseline of reading the same rows without writing them.

Run: .venv/bin/python -m bench.export_bench [N] [GRIDS]
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from storage.models import (
    Broadcast,
    BroadcastDelivery,
    Case,
    CaseEvent,
    ChatGroup,
    Community,
    Grid,
    Outbox,
    Person,
    Station,
    Survey,
)

CITY_GRIDS = 6702
KINDS = ("dispute",) * 10 + ("inquiry",) * 5 + ("fraud",) * 4 + ("help",)
SUBTYPES = ("noise", "neighbor", "family", "economic", "property", "landlord_tenant", "other")
SCAMS = ("rebate_task", "investment", "fake_customer_service", "impersonate_authority", "loan_credit")
TEXTS = ("楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话13912345678", "对门邻居天天把垃圾堆在楼道里",
         "有人在群里发刷单返利的广告，说日赚三百", "办居住证要带什么材料", "我家老人摔倒了起不来")


def seed(engine: Engine, *, cases: int, month: tuple[int, int], grids: int = 0, seed_value: int = 7) -> None:
    """Bulk-insert (Core) ``cases`` cases in ``month`` over the existing grids, plus ``grids`` extra city grids."""
    rng = random.Random(seed_value)
    start = datetime(*month, 1, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
    with engine.begin() as conn:
        if grids:
            _city_grids(conn, grids)
        grid_rows = conn.execute(select(Grid.id, Grid.officer_id)).all()
        groups = dict(conn.execute(select(ChatGroup.grid_id, ChatGroup.id).where(ChatGroup.grid_id.is_not(None))).all())
        residents = [{"id": f"city-r{n}", "name": f"居民{n}号", "role": "resident", "title": "", "phone": "",
                      "scope": "grid", "from_config": False} for n in range(max(cases // 10, 1))]
        _chunks(conn, Person, residents)
        case_rows, event_rows, survey_rows = [], [], []
        first_id = (conn.execute(select(Case.id).order_by(Case.id.desc()).limit(1)).scalar() or 0) + 1
        for n in range(cases):
            case_id = first_id + n
            grid_id, officer = grid_rows[rng.randrange(len(grid_rows))]
            kind = rng.choice(KINDS)
            created = start + timedelta(minutes=rng.randrange(28 * 24 * 60))
            done = rng.random() < 0.7
            resolved = created + timedelta(hours=rng.randrange(1, 120)) if done else None
            status = rng.choice(("resolved", "closed")) if done else rng.choice(("open", "assigned", "in_progress"))
            satisfaction = rng.choice(("satisfied", "satisfied", "basic", "unsatisfied")) if done and kind == "dispute" else None
            case_rows.append({"id": case_id, "kind": kind, "subtype": rng.choice(SUBTYPES) if kind == "dispute" else None,
                              "scam_type": rng.choice(SCAMS) if kind == "fraud" else None, "status": status,
                              "urgent": kind == "help", "level": "grid", "hard": False, "grid_id": grid_id,
                              "group_id": groups.get(grid_id), "assignee_id": officer, "mediator_id": None,
                              "reporter_id": residents[n % len(residents)]["id"], "text": rng.choice(TEXTS),
                              "outcome": "已调解" if done else None, "satisfaction": satisfaction, "created_at": created,
                              "updated_at": resolved or created, "resolved_at": resolved,
                              "closed_at": resolved if status == "closed" else None, "version": 3})
            event_rows.append(_event(case_id, created, "r", "opened", None, "open"))
            event_rows.append(_event(case_id, created + timedelta(minutes=rng.randrange(1, 90)), officer, "taken",
                                     "assigned", "in_progress"))
            if resolved:
                event_rows.append(_event(case_id, resolved, officer, "resolved", "in_progress", "resolved"))
            if satisfaction:
                survey_rows.append({"case_id": case_id, "person_id": residents[n % len(residents)]["id"],
                                    "resolved_at": resolved, "state": "answered", "asked_at": resolved,
                                    "expires_at": resolved + timedelta(days=2), "answered_at": resolved + timedelta(hours=3),
                                    "answer": "满意", "satisfaction": satisfaction})
        _chunks(conn, Case, case_rows)
        _chunks(conn, CaseEvent, event_rows)
        _chunks(conn, Survey, survey_rows)
        _broadcasts(conn, start, list(groups.values()))


def _event(case_id: int, at: datetime, actor: str, action: str, before: str | None, after: str) -> dict:
    return {"case_id": case_id, "at": at, "actor_id": actor, "action": action, "from_status": before,
            "to_status": after, "detail": ""}


def _city_grids(conn, n: int) -> None:  # noqa: ANN001
    conn.execute(insert(Station).prefix_with("OR IGNORE"), [{"id": "city", "name": "全市", "address": "", "hours": "",
                                                             "phone": "", "from_config": False}])
    conn.execute(insert(Community).prefix_with("OR IGNORE"), [{"id": "city", "name": "全市社区", "station_id": "city",
                                                               "from_config": False}])
    officers = [{"id": f"city-o{i}", "name": f"民警{i}", "role": "officer", "title": "", "phone": "", "scope": "grid",
                 "from_config": False} for i in range(n)]
    _chunks(conn, Person, officers)
    _chunks(conn, Grid, [{"id": f"city-g{i}", "name": f"第{i}网格", "officer_id": f"city-o{i}", "community_id": "city",
                          "buildings": [], "level": "grid", "from_config": False} for i in range(n)])
    _chunks(conn, ChatGroup, [{"channel": "sandbox", "chat_id": f"city-chat-{i}", "grid_id": f"city-g{i}",
                               "name": f"第{i}网格群", "webhook_key": "", "tags": [], "from_config": False}
                              for i in range(n)])


def _broadcasts(conn, start: datetime, group_ids: list[int]) -> None:  # noqa: ANN001
    for b in range(4):
        at = start + timedelta(days=7 * b + 1)
        broadcast_id = conn.execute(insert(Broadcast).values(actor_id="duty-1", targets=["all"], text="请勿点击陌生链接",
                                                             status="sent", created_at=at, confirmed_by="duty-1",
                                                             confirmed_at=at).returning(Broadcast.id)).scalar()
        for group_id in group_ids:
            outbox_id = conn.execute(insert(Outbox).values(
                idempotency_key=f"bench-{broadcast_id}-{group_id}", channel="sandbox", chat_id=str(group_id),
                text="【警务提醒】请勿点击陌生链接", kind="broadcast", status="sent", attempts=1, next_attempt_at=at,
                created_at=at, sent_at=at, mentions=[], reply_hint={}).returning(Outbox.id)).scalar()
            conn.execute(insert(BroadcastDelivery).values(broadcast_id=broadcast_id, group_id=group_id,
                                                          outbox_id=outbox_id, created_at=at))


def _chunks(conn, model, rows: list[dict], size: int = 2000) -> None:  # noqa: ANN001
    for i in range(0, len(rows), size):
        conn.execute(insert(model), rows[i:i + size])


def run(n: int, grids: int) -> list[dict]:
    from bot.app import sync_roster
    from bot.config import load_config
    from bot.exporting import export_to_file
    from handlers.exports import Request
    from handlers.exports.registry import KINDS
    from handlers.reports import month_of
    from storage import migrate
    from storage.db import make_engine
    from storage.db import session as new_session

    root = Path(__file__).resolve().parent.parent
    config = load_config(root / "config.toml", environ={})
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/city.db")
        migrate.upgrade(engine)
        sync_roster(engine, config)
        t0 = time.perf_counter()
        seed(engine, cases=n, month=(2026, 11), grids=grids)
        print(f"seeded {n} cases over {grids + len(config.grids)} grids in {time.perf_counter() - t0:.1f} s")
        period = month_of(datetime(2026, 11, 15).date(), config.tz)
        request = Request(since=period.start, until=period.end, grid_ids=None, tz=config.tz, label=period.label)
        for name, kind in KINDS.items():
            t0 = time.perf_counter()
            with new_session(engine) as session:
                count = sum(1 for _ in kind.rows(session, request))
            baseline = time.perf_counter() - t0
            for fmt in ("xlsx", "csv"):
                t0 = time.perf_counter()
                rows = export_to_file(engine, kind, request, fmt=fmt, path=Path(tmp) / f"{name}.{fmt}")
                took = time.perf_counter() - t0
                size = (Path(tmp) / f"{name}.{fmt}").stat().st_size
                results.append({"kind": name, "format": fmt, "rows": rows, "seconds": round(took, 2),
                                "rows_per_s": round(rows / took) if took else rows, "x_rows_only": round(took / baseline, 2),
                                "rows_only_s": round(baseline, 2), "mb": round(size / 1e6, 1)})
                assert rows == count
                print("export", results[-1], flush=True)
        engine.dispose()
    return results


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    grids = int(sys.argv[2]) if len(sys.argv) > 2 else CITY_GRIDS
    run(n, grids)


if __name__ == "__main__":
    main()
