"""Features for the learned model, the same at training and at run time.

A message becomes a set of strings: character 1–3-grams (``c:``), jieba words (``w:``), the cue-table
patterns that match (``q:<label>:<pattern>``, from intent/subtype/scam/urgent cue tables), shipped scam
phrases (``sw``), text signals (``s:<kind>``, see ``signals.py``), length buckets (``len:``) and the
danger detector's output (``d:``).  Digits are folded to ``0``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from handlers.nlu import lexicon
from handlers.nlu.danger import Danger, DangerDetector
from handlers.nlu.signals import SignalReader, Signals

_DIGITS = re.compile(r"\d+")
_SKIP = frozenset(" ,.!?:;'\"()[]{}<>-_/\\|~`@#$%^&*+=，。！？：；、“”‘’（）【】《》…—·~「」『』")
LENGTH_BUCKETS = (2, 4, 8, 16, 32, 64, 128)
DANGER_BUCKETS = (0.3, 0.5, 0.7, 0.9)
CUE_TABLES = ("intent_cues.tsv", "subtype_cues.tsv", "scam_cues.tsv", "urgent_cues.tsv")


@lru_cache(maxsize=1)
def tokenizer():
    """jieba's shared tokenizer with our domain dictionary added (loads jieba's dictionary)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for line in lexicon.read_data("userdict.txt").splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            jieba.add_word(parts[0], freq=freq, tag=parts[2] if len(parts) > 2 else None)
    return jieba.dt


def words(text: str) -> list[str]:
    return [w for w in tokenizer().lcut(text, HMM=False) if w.strip() and w not in _SKIP]


def ngrams(compact: str) -> list[str]:
    feats = ["c:" + ch for ch in compact]
    feats += ["b:" + compact[i:i + 2] for i in range(len(compact) - 1)]
    feats += ["t:" + compact[i:i + 3] for i in range(len(compact) - 2)]
    return feats


def bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value > edge for edge in edges)


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything read from one normalised message: the model's features and what the policy needs."""

    features: frozenset[str]
    words: tuple[str, ...]  # the "w:" features, for showing evidence
    found: frozenset[str]
    cues: tuple[lexicon.Cue, ...]
    signals: Signals
    danger: Danger


class Featurizer:
    """Reads messages with the cue tables, the text signals and the danger detector."""

    def __init__(self, cues: tuple[lexicon.Cue, ...], scam_words: dict[str, str],
                 signals: SignalReader, danger: DangerDetector) -> None:
        self.cues = lexicon.CueIndex(cues)
        self.scam_words = dict(scam_words)
        self.signals = signals
        self.danger = danger
        vocabulary = {w for cue in cues for w in cue.words()} | set(self.scam_words)
        self.finder = lexicon.WordFinder(vocabulary | signals.words() | danger.words())

    @classmethod
    def load(cls) -> "Featurizer":
        cues = tuple(cue for name in CUE_TABLES for cue in _tagged(name))
        return cls(cues, lexicon.load_scam_words(), SignalReader.load(), DangerDetector.load())

    def read(self, text: str, mentions: tuple[str, ...] = ()) -> Reading:
        """``text`` is normalised (``normalize.normalize``); ``mentions`` are the raw text's @names."""
        found = frozenset(self.finder.find(text))
        cues = tuple(self.cues.scan(found))
        signals = self.signals.read(text, set(found), mentions)
        danger = self.danger.detect(text, set(found))
        folded = _DIGITS.sub("0", text)
        compact = "".join(ch for ch in folded if ch not in _SKIP)
        feats = set(ngrams(compact))
        word_feats = tuple(dict.fromkeys("w:" + w for w in words(folded)))
        feats.update(word_feats)
        feats.update("q:" + cue.label + ":" + cue.pattern for cue in cues)
        hits = [t for w, t in self.scam_words.items() if w in found]
        if hits:
            feats.add("sw")
            feats.update("sw:" + t for t in hits)
        feats.update("s:" + name for name in signals.names())
        feats.add(f"len:{bucket(len(compact), LENGTH_BUCKETS)}")
        feats.update(danger_features(danger))
        return Reading(frozenset(feats), word_feats, found, cues, signals, danger)


def danger_features(danger: Danger) -> list[str]:
    if danger.category is None:
        return ["d:none"]
    tense = "cur" if danger.current else "not"
    feats = ["d:" + danger.category, "d:" + tense, f"d:{danger.category}:{tense}",
             f"d:p{bucket(danger.probability, DANGER_BUCKETS)}"]
    feats += ["d:m:" + kind for kind in danger.modifiers]
    return feats


def _tagged(name: str) -> tuple[lexicon.Cue, ...]:
    """A cue table's cues with the table named in the label, so equal labels in two tables stay apart."""
    prefix = name.split("_")[0]
    return tuple(lexicon.Cue(f"{prefix}.{c.label}", c.weight, c.pattern, c.terms) for c in lexicon.load_cues(name))
