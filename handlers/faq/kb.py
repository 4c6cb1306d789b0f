"""The knowledge base: the packaged topics (data/kb/*.toml, one file per domain) and the officers' entries.

A topic has a key (the packaged id, or ``entry-N`` for an officer's own entry), a title officers refer to it
by, sample questions in residents' words, and an answer with ``{station} {address} {hours} {phone}``
placeholders filled from ``[station]``. ``station = true`` marks answers that send the resident to the
station, so the station's details are added under them (unless the topic is itself about the station).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Iterable, Sequence

KB_DIR = Path(__file__).resolve().parent / "data" / "kb"
PLACEHOLDERS = ("station", "address", "hours", "phone")
STATION_TOPICS = frozenset({"station_address", "station_hours", "station_phone"})  # carry the details already


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    questions: tuple[str, ...]
    answer: str
    station: bool = False
    keywords: tuple[str, ...] = ()  # other words for the topic, counted like its title
    anchors: tuple[str, ...] = ()  # a question must mention one of these to be answered with this topic
    domain: str = ""
    domain_name: str = ""
    entry_id: int | None = None  # the officers' FaqEntry row that made or changed this topic

    @property
    def packaged(self) -> bool:
        return not self.key.startswith("entry-")

    @property
    def footer(self) -> bool:
        """Whether the station's address, hours and phone go under the answer."""
        return self.station and self.key not in STATION_TOPICS


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is wrong; the message names the file and the topic."""


def _topic(path: Path, domain: str, domain_name: str, raw: dict) -> Topic:
    where = f"{path.name}: topic {raw.get('id', '?')}"
    missing = [k for k in ("id", "title", "questions", "answer") if not raw.get(k)]
    if missing:
        raise KnowledgeBaseError(f"{where}: missing {', '.join(missing)}")
    check_answer(raw["answer"], where)
    return Topic(key=raw["id"], title=raw["title"], questions=tuple(raw["questions"]), answer=raw["answer"].strip(),
                 station=bool(raw.get("station")), keywords=tuple(raw.get("keywords", ())),
                 anchors=tuple(raw.get("anchors", ())), domain=domain, domain_name=domain_name)


def check_answer(answer: str, where: str = "answer") -> None:
    """Refuse an answer with an unknown placeholder or a stray brace (it could not be filled in)."""
    try:
        answer.format(**{k: "" for k in PLACEHOLDERS})
    except (KeyError, IndexError, ValueError) as exc:
        raise KnowledgeBaseError(f"{where}: bad placeholder {exc}") from None


@cache
def packaged() -> tuple[Topic, ...]:
    """Every packaged topic, in file order; a duplicate id or title is an error."""
    topics: list[Topic] = []
    for path in sorted(KB_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        topics += [_topic(path, data["domain"], data["name"], raw) for raw in data["topics"]]
    for attr in ("key", "title"):
        seen: set[str] = set()
        for topic in topics:
            value = getattr(topic, attr)
            if value in seen:
                raise KnowledgeBaseError(f"two topics have the {attr} {value!r}")
            seen.add(value)
    return tuple(topics)


def packaged_texts() -> list[str]:
    return [text for t in packaged() for text in (t.title, *t.keywords, *t.questions, t.answer)]


def merged(entries: Iterable[object]) -> tuple[Topic, ...]:
    """The packaged topics with the officers' entries applied: an entry that names a packaged topic replaces
    its title/questions/answer (or hides it when removed); any other active entry is a topic of its own."""
    by_key = {t.key: t for t in packaged()}
    order = list(by_key)
    for entry in entries:
        key = getattr(entry, "topic_key", None) or f"entry-{entry.id}"
        if entry.state == "removed":
            by_key.pop(key, None)
            continue
        if entry.state != "active":
            continue
        base = by_key.get(key) or Topic(key=key, title=entry.title, questions=(), answer="", station=False,
                                        domain="officer", domain_name="民警添加")
        by_key[key] = replace(base, title=entry.title or base.title,
                              questions=tuple(entry.questions) or base.questions,
                              answer=entry.answer or base.answer, station=bool(entry.station),
                              entry_id=entry.id)
        if key not in order:
            order.append(key)
    return tuple(by_key[k] for k in order if k in by_key)


def find_title(topics: Sequence[Topic], title: str) -> Topic | None:
    title = title.strip()
    return next((t for t in topics if t.title == title or t.key == title), None)
