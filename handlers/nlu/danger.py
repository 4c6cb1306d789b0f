"""The danger detector: is someone's life, health or money at risk right now?  Tuned for recall.

It runs on every message before the intent decision, from two data tables (syntax in their headers):
``data/danger_cues.tsv`` (category, weight, pattern) and ``data/danger_modifiers.tsv`` (tense, negation,
resolution, fiction, notice, hypothetical and joke cues, and the score offset).  Per category the strongest
matching cue counts fully and every further cue a quarter, so overlapping cues are not double-counted; each
modifier kind then adds its strongest cue once.  The result's probability is the logistic of score + bias.
Matching is one pass of ``lexicon.WordFinder`` over the text plus set look-ups: linear in the text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from handlers.nlu import lexicon

CATEGORIES = (
    "suicide", "missing", "fire", "gas", "medical", "drowning", "violence", "stalking", "break_in",
    "trapped", "collapse", "alone_unseen", "fraud_now", "distress",
)
RAISING = ("current",)
SETTLED = ("resolved", "negated", "fiction", "notice")  # not happening now, whatever else the text says...
SETTLING = -2.5  # ...when one of them matches with at least this much weight (我以为 only lowers the score)
LOWERING = ("past", "resolved", "negated", "fiction", "notice", "hypothetical", "thanks", "joke")
EXTRA_CUE_SHARE = 0.25  # each matching cue after the strongest one in a category
CUE_SCORE_CAP = 6.0


@dataclass(frozen=True, slots=True)
class Danger:
    """What the detector found: the most likely category (None when nothing matched), its probability,
    the cues shown to an officer, whether it reads as happening now, and the modifier kinds that matched."""

    category: str | None = None
    probability: float = 0.0
    score: float = 0.0
    cues: tuple[str, ...] = ()
    current: bool = False
    modifiers: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "category": self.category, "probability": round(self.probability, 4), "score": round(self.score, 3),
            "cues": list(self.cues), "current": self.current, "modifiers": list(self.modifiers),
        }


NO_DANGER = Danger()


def parse_modifiers(text: str) -> tuple[tuple[lexicon.Cue, ...], float]:
    """The modifier cues and the ``bias`` row of a danger_modifiers.tsv text."""
    bias = 0.0
    cues = []
    for line in text.splitlines():
        parts = line.split("\t")
        if parts[0].strip() == "bias" and not line.lstrip().startswith("#"):
            if len(parts) < 2:
                raise ValueError(f"bias row needs a weight: {line[:60]!r}")
            bias = float(parts[1])
            continue
        cue = lexicon.parse_cue(line)
        if cue is not None:
            if cue.label not in RAISING + LOWERING:
                raise ValueError(f"unknown danger modifier kind {cue.label!r}")
            cues.append(cue)
    return tuple(cues), bias


def parse_danger_cues(text: str) -> tuple[lexicon.Cue, ...]:
    cues = lexicon.parse_cues(text)
    for cue in cues:
        if cue.label not in CATEGORIES:
            raise ValueError(f"unknown danger category {cue.label!r} in {cue.pattern[:40]!r}")
    return cues


class DangerDetector:
    """Scores a normalised text (see ``normalize.normalize``) for every danger category."""

    def __init__(self, cues: Iterable[lexicon.Cue], modifiers: Iterable[lexicon.Cue], bias: float) -> None:
        self.cues = lexicon.CueIndex(cues)
        self.modifiers = lexicon.CueIndex(modifiers)
        self.bias = bias
        self._finder: lexicon.WordFinder | None = None  # built on the first detect() that is not given its words

    @classmethod
    def load(cls) -> "DangerDetector":
        modifiers, bias = parse_modifiers(lexicon.read_data("danger_modifiers.tsv"))
        return cls(parse_danger_cues(lexicon.read_data("danger_cues.tsv")), modifiers, bias)

    def words(self) -> set[str]:
        return {w for cue in self.cues.cues + self.modifiers.cues for w in cue.words()}

    def detect(self, text: str, found: set[str] | None = None) -> Danger:
        """``found``: the lexicon words present in ``text`` when the caller has already looked them up."""
        if found is None:
            if self._finder is None:
                self._finder = lexicon.WordFinder(self.words())
            found = self._finder.find(text)
        hits = self.cues.scan(found)
        if not hits:
            return NO_DANGER
        category, base, shown = _best_category(hits, found)
        kinds = _modifier_kinds(self.modifiers.scan(found))
        adjust = sum(kinds.values())
        settled = any(kinds.get(k, 0.0) <= SETTLING for k in SETTLED)
        current = not settled and ("current" in kinds or "past" not in kinds)
        score = base + adjust
        probability = 1.0 / (1.0 + math.exp(-(score + self.bias)))
        return Danger(category, probability, score, shown, current, tuple(sorted(kinds)))


def _best_category(hits: list[lexicon.Cue], found: set[str]) -> tuple[str, float, tuple[str, ...]]:
    by_category: dict[str, list[lexicon.Cue]] = {}
    for cue in hits:
        by_category.setdefault(cue.label, []).append(cue)
    scored = []
    for name, cues in by_category.items():
        weights = sorted((c.weight for c in cues), reverse=True)
        score = min(CUE_SCORE_CAP, weights[0] + EXTRA_CUE_SHARE * sum(weights[1:]))
        scored.append((score, -CATEGORIES.index(name), name, cues))
    score, _, name, cues = max(scored)
    shown = tuple("danger:" + c.shown(found).split(":", 1)[1] for c in sorted(cues, key=lambda c: -c.weight)[:3])
    return name, score, shown


def _modifier_kinds(hits: list[lexicon.Cue]) -> dict[str, float]:
    kinds: dict[str, float] = {}
    for cue in hits:
        if abs(cue.weight) > abs(kinds.get(cue.label, 0.0)):
            kinds[cue.label] = cue.weight
    return kinds
