"""The FAQ knowledge base for inquiries: weighted keyword sets per topic, read from data/faq.json.

A question scores the sum of the weights of the keywords it contains; the best topic answers when it
reaches the threshold and leads the runner-up by the margin. Otherwise the bot is not sure, and the
inquiry becomes a case for the grid officer.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from handlers.nlu.normalize import normalize

DATA = Path(__file__).resolve().parent / "data" / "faq.json"


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    answer: str
    keywords: tuple[tuple[str, int], ...]
    station: bool = False


@dataclass(frozen=True)
class Match:
    entry: Entry | None
    score: int
    runner_up: int
    confident: bool


@cache
def knowledge_base() -> tuple[tuple[Entry, ...], int, int]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    entries = tuple(
        Entry(id=e["id"], topic=e["topic"], answer=e["answer"], station=bool(e.get("station")),
              keywords=tuple((normalize(k), int(w)) for k, w in e["keywords"].items()))
        for e in raw["entries"]
    )
    return entries, int(raw["threshold"]), int(raw["margin"])


def score(entry: Entry, text: str) -> int:
    return sum(weight for word, weight in entry.keywords if word in text)


def match(question: str) -> Match:
    """The best FAQ entry for a question, with whether it is sure enough to answer."""
    entries, threshold, margin = knowledge_base()
    text = normalize(question)
    ranked = sorted(((score(e, text), i) for i, e in enumerate(entries)), reverse=True)
    (best, index), (second, _) = ranked[0], ranked[1]
    confident = best >= threshold and best - second >= margin
    return Match(entry=entries[index] if best else None, score=best, runner_up=second, confident=confident)
