"""Ranking topics for a question: BM25 over each topic's sample questions, title and keywords, plus BM25 over
its answer at a lower weight; and how much of the question a topic explains (its coverage).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

from handlers.faq import text
from handlers.faq.bm25 import BM25
from handlers.faq.kb import Topic

CLEAR_COVERAGE = 0.9  # a topic whose words explain this much of a question counts as mentioned …
CLEAR_TERMS = 4  # … when the question has at least this many content terms (“护照” alone names no topic)


@dataclass(frozen=True)
class Weights:
    """How the fields count; chosen by leave-one-out over the sample questions (handlers/faq/tune.py)."""

    answer: float = 1.0  # the answer's BM25, relative to the questions'
    title: int = 2  # the title and keywords count as this many sample questions
    k1: float = 2.0
    b: float = 0.75


@dataclass(frozen=True)
class Ranked:
    topic: Topic
    score: float
    coverage: float  # share of the question's idf mass this topic's words explain (0..1)
    nearest: float  # cosine similarity to the topic's closest sample question (0..1)
    anchored: bool  # the question mentions one of the topic's anchors (or the topic has none)


class Index:
    def __init__(self, topics: Sequence[Topic], weights: Weights = Weights()) -> None:
        self.topics = tuple(topics)
        self.weights = weights
        fields = [self._question_terms(t) for t in self.topics]
        answers = [text.terms(t.answer) for t in self.topics]
        self.questions = BM25(fields, k1=weights.k1, b=weights.b)
        self.answers = BM25(answers)
        self.vocab = [set(q) | set(a) for q, a in zip(fields, answers)]
        self.samples = [[self._vector(text.terms(q)) for q in (t.title, *t.questions)] for t in self.topics]
        self.anchors = [tuple(parse_anchor(a) for a in t.anchors) for t in self.topics]

    def _question_terms(self, topic: Topic) -> list[str]:
        found = [term for q in topic.questions for term in text.terms(q)]
        for name in (topic.title, *topic.keywords):
            found += list(text.terms(name)) * self.weights.title
        return found

    def idf(self, term: str) -> float:
        return max(self.questions.term_idf(term), self.answers.term_idf(term))

    def rank(self, question: str, limit: int = 5) -> list[Ranked]:
        """The best topics for a question, best first (topics sharing no term are left out)."""
        terms = text.terms(question)
        q = self.questions.scores(terms)
        a = self.answers.scores(terms)
        total = {i: q.get(i, 0.0) + self.weights.answer * a.get(i, 0.0) for i in set(q) | set(a)}
        best = sorted(total, key=lambda i: (-total[i], i))[:limit * 2]
        content = text.content_terms(question)
        vector = self._vector(terms)
        norm = text.normalise(question)
        found = []
        for i in best:
            coverage = self.coverage(content, i)
            clear = coverage >= CLEAR_COVERAGE and len(content) >= CLEAR_TERMS
            anchored = clear or self.anchored(norm, i)
            found.append(Ranked(self.topics[i], total[i], coverage, self.nearest(vector, i), anchored))
        # a topic the question mentions goes before one it only resembles (sort is stable: by score within)
        return sorted(found, key=lambda r: not r.anchored)[:limit]

    def anchored(self, normalised: str, i: int) -> bool:
        return not self.anchors[i] or any(all(any(mentions(normalised, w) for w in part) for part in anchor)
                                          for anchor in self.anchors[i])

    def _vector(self, terms: Sequence[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term in terms:
            weights[term] = weights.get(term, 0.0) + self.questions.term_idf(term)
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {t: v / norm for t, v in weights.items()}

    def nearest(self, vector: dict[str, float], i: int) -> float:
        return max((sum(v * sample.get(t, 0.0) for t, v in vector.items()) for sample in self.samples[i]),
                   default=0.0)

    def coverage(self, terms: Iterable[str], i: int) -> float:
        unique = set(terms)
        mass = sum(self.idf(t) for t in unique)
        if not mass:
            return 0.0
        return sum(self.idf(t) for t in unique if t in self.vocab[i]) / mass

    def residual(self, terms: Sequence[str], i: int) -> list[str]:
        """The terms of a question that topic ``i`` does not explain (what a second topic would have to)."""
        return [t for t in terms if t not in self.vocab[i]]

    def position(self, key: str) -> int:
        return next(i for i, t in enumerate(self.topics) if t.key == key)


def parse_anchor(anchor: str) -> tuple[tuple[str, ...], ...]:
    """'身份证+丢失|补办' → (('身份证',), ('丢失', '补办')): every part must be there, any word of a part."""
    return tuple(tuple(text.normalise(w) for w in part.split("|") if w.strip()) for part in anchor.split("+"))


def mentions(normalised: str, word: str) -> bool:
    """``word`` is in the text; a word of four characters or more also with one character typed wrong
    (无犯罪记路证明)."""
    if word in normalised:
        return True
    n = len(word)
    if n < 4:
        return False
    return any(sum(a != b for a, b in zip(normalised[i:i + n], word)) <= 1 for i in range(len(normalised) - n + 1))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))
