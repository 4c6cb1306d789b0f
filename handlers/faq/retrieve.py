"""From a question to a decision: answer (one topic, or two or three when the question asks about several),
ask which of two or three close topics was meant, or leave it to the officer.

The confidence is a logistic model over what the ranking shows (how strong and how far ahead the best topic
is, how much of the question it explains, how close the nearest sample question is), fitted by
leave-one-out over the knowledge base's own sample questions and a set of questions it must not answer
(``python -m handlers.faq.tune`` writes data/tuning.json). The inquiry handler acts on ``Finding.action``.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Sequence

from handlers.faq import text
from handlers.faq.index import Index, Ranked, Weights, sigmoid
from handlers.faq.kb import Topic

TUNING = Path(__file__).resolve().parent / "data" / "tuning.json"
ANSWER, CLARIFY, NONE = "answer", "clarify", "none"
MAX_TOPICS = 3
SOFTMAX_T = 4.0  # score units: how far ahead the best topic must be to take most of the share
_CLAUSE = re.compile(r"[，,。.？?！!；;、\s]+|另外|还有|顺便|以及|再问一下|还想问")


FEATURES = ("bias", "log score", "runner-up ratio", "coverage", "log content terms", "nearest sample",
            "nearest lead", "asks", "score share", "anchored", "coverage lead", "runner-up anchored",
            "anchored among top five")


@dataclass(frozen=True)
class Tuning:
    weights: Weights = Weights()
    coefficients: tuple[float, ...] = (0.0,) * len(FEATURES)
    answer: float = 0.8  # confidence needed to answer
    clarify: float = 0.3  # below this, not even a clarifying question
    close: float = 0.75  # second/first score ratio that makes two topics "close"
    second: float = 0.8  # confidence a clause needs to add its own topic to the answer
    part: float = 1.0  # confidence each part needs when the whole question is not sure (1: never)

    @classmethod
    def load(cls, path: Path = TUNING) -> "Tuning":
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=Weights(**raw["weights"]), coefficients=tuple(raw["coefficients"]),
                   answer=raw["answer"], clarify=raw["clarify"], close=raw["close"], second=raw["second"],
                   part=raw.get("part", 1.0))


@cache
def default_tuning() -> Tuning:
    return Tuning.load()


@dataclass(frozen=True)
class Finding:
    action: str  # answer, clarify, none
    topics: tuple[Topic, ...] = ()  # what to answer, or the options to offer
    confidence: float = 0.0  # that the best topic is what was asked
    ranked: tuple[Ranked, ...] = field(default=(), repr=False)

    @property
    def best(self) -> Topic | None:
        return self.ranked[0].topic if self.ranked else None


def features(ranked: Sequence[Ranked], question: str) -> list[float]:
    """What the confidence model reads from a ranking (named in ``FEATURES``): how strong the best topic is
    and how far ahead, how much of the question it explains, how close its nearest sample question is,
    whether the question asks at all, and whether the question mentions the topic (and others)."""
    content = text.content_terms(question)
    asks = 1.0 if text.asks(question) else 0.0
    if not ranked:
        return [1.0, 0.0, 1.0, 0.0, math.log1p(len(content)), 0.0, 0.0, asks, 0.0, 0.0, 0.0, 0.0, 0.0]
    first = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    ratio = (second.score / first.score) if second and first.score else 0.0
    lead = first.nearest - (second.nearest if second else 0.0)
    share = 1.0 / sum(math.exp((r.score - first.score) / SOFTMAX_T) for r in ranked)
    return [1.0, math.log1p(first.score), ratio, first.coverage, math.log1p(len(content)), first.nearest, lead, asks,
            share, float(first.anchored), first.coverage - (second.coverage if second else 0.0),
            float(bool(second and second.anchored)), sum(r.anchored for r in ranked) / 5]


def confidence(tuning: Tuning, values: Sequence[float]) -> float:
    """The model's probability that the best topic is what was asked; none for a message that does not ask
    (“反诈app我装好了”): the FAQ answers questions, it does not comment on news."""
    if not values[FEATURES.index("asks")]:
        return 0.0
    return sigmoid(sum(c * v for c, v in zip(tuning.coefficients, values)))


class Retriever:
    def __init__(self, topics: Sequence[Topic], tuning: Tuning | None = None) -> None:
        self.tuning = tuning or default_tuning()
        self.index = Index(topics, self.tuning.weights)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.index.topics

    def judge(self, question: str) -> tuple[tuple[Ranked, ...], float]:
        ranked = tuple(self.index.rank(question))
        return ranked, confidence(self.tuning, features(ranked, question))

    def find(self, question: str) -> Finding:
        ranked, conf = self.judge(question)
        if not ranked:
            return Finding(NONE, confidence=conf)
        t = self.tuning
        if conf >= t.answer:
            return Finding(ANSWER, (ranked[0].topic, *self.others(question, ranked[0])), conf, ranked)
        parts = self.sure_parts(question, ranked)
        if parts:
            return Finding(ANSWER, tuple(topic for topic, _ in parts), min(c for _, c in parts), ranked)
        close = [r.topic for r in ranked[1:MAX_TOPICS] if r.score >= t.close * ranked[0].score]
        if conf >= t.clarify and close:
            return Finding(CLARIFY, (ranked[0].topic, *close), conf, ranked)
        return Finding(NONE, confidence=conf, ranked=ranked)

    def sure_parts(self, question: str, whole: Sequence[Ranked]) -> list[tuple[Topic, float]]:
        """When the whole question is not sure: its parts that are (a background story before “…要带什么”,
        or two questions in one message), at least ``part`` sure each."""
        return [(t, c) for t, c in self.part_candidates(question, whole) if c >= self.tuning.part][:MAX_TOPICS]

    def part_candidates(self, question: str, whole: Sequence[Ranked]) -> list[tuple[Topic, float]]:
        return [(t, confidence(self.tuning, values)) for t, values in self.part_features(question, whole)]

    def part_features(self, question: str, whole: Sequence[Ranked]) -> list[tuple[Topic, list[float]]]:
        """The best topic of each clause that asks, when it is among the whole question's best topics, with
        the clause's features."""
        if not text.asks_explicitly(question):
            return []
        leading = {r.topic.key for r in whole[:MAX_TOPICS]}
        found: list[tuple[Topic, list[float]]] = []
        for clause in clauses(question):
            if not text.asks_explicitly(clause):
                continue
            ranked = self.index.rank(clause)
            topic = ranked[0].topic if ranked else None
            if topic and topic.key in leading and all(topic != t for t, _ in found):
                found.append((topic, features(ranked, clause)))
        return found

    def others(self, question: str, first: Ranked) -> list[Topic]:
        """Topics of other parts of the question that the first topic does not explain (居住证 + 周末)."""
        found: list[Topic] = []
        position = self.index.position(first.topic.key)
        for clause in clauses(question):
            content = text.content_terms(clause)
            if not content or self.index.coverage(content, position) >= 0.5:
                continue
            ranked, conf = self.judge(clause)
            topic = ranked[0].topic if ranked else None
            if topic and conf >= self.tuning.second and topic != first.topic and topic not in found:
                found.append(topic)
        return found[:MAX_TOPICS - 1]


def clauses(question: str) -> list[str]:
    """The parts of a question, split at punctuation, spaces and 另外/还有; one part means no split."""
    parts = [p for p in _CLAUSE.split(text.simplify(question)) if len(p) >= 2]
    return parts if len(parts) > 1 else []
