"""Safety notices (安全提示) from the notice library, rotated per group and topic, one per group per run."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session

from storage import groups, job_runs, outbox
from storage.followers import for_every_resident
from storage import notices as store_notices

LIBRARY = Path(__file__).resolve().parent.parent / "data" / "notices.json"


@dataclass(frozen=True)
class Notice:
    id: str
    topic: str
    text: str


@cache
def library() -> dict[str, tuple[Notice, ...]]:
    """{topic: its texts in order}, read once from handlers/data/notices.json."""
    raw = json.loads(LIBRARY.read_text(encoding="utf-8"))
    return {topic: tuple(Notice(t["id"], topic, t["text"]) for t in entry["texts"]) for topic, entry in raw.items()}


@cache
def topic_names() -> dict[str, str]:
    raw = json.loads(LIBRARY.read_text(encoding="utf-8"))
    return {topic: entry.get("name") or topic for topic, entry in raw.items()}


def topic_name(topic: str) -> str:
    return topic_names().get(topic, topic)


def topic_ids() -> set[str]:
    return set(library())


def next_notice(topic: str, last_text_id: str | None) -> Notice:
    """The text after the last one this group got for the topic (the first if none, or if it is gone)."""
    texts = library()[topic]
    ids = [n.id for n in texts]
    if last_text_id not in ids:
        return texts[0]
    return texts[(ids.index(last_text_id) + 1) % len(texts)]


def post_notices(session: Session, *, schedule: Any, run_key: str, now: datetime) -> int:
    """Write one notice per target group for this run; returns how many. ``run_key`` names the fire."""
    topics = schedule.topic_list
    runs = job_runs.done_runs(session, job_id=f"notice:{schedule.id}")  # this run's row included
    topic = topics[max(runs - 1, 0) % len(topics)]
    count = 0
    # for every resident of the target grids (their followers may get it when a group cannot be reached), not a
    # notice for tagged groups (商铺)
    every_resident = not any(target.startswith(groups.TAG) for target in schedule.targets)
    for group in groups.groups_of_targets(session, targets=schedule.targets):
        last = store_notices.last_notice(session, group_id=group.id, topic=topic)
        notice = next_notice(topic, last.last_text_id if last else None)
        outbox.enqueue(session, now=now, idempotency_key=f"{run_key}:{group.channel}:{group.chat_id}",
                       channel=group.channel, chat_id=group.chat_id, text=notice.text, kind="notice",
                       reply_hint=for_every_resident(run_key) if every_resident else {})
        store_notices.remember_notice(session, group_id=group.id, topic=topic, text_id=notice.id, now=now)
        count += 1
    return count
