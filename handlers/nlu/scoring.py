"""How cue weights and model probabilities combine into one decision."""
from __future__ import annotations

import math
from typing import Iterable

from handlers.nlu.label import INTENTS, SCAM_TYPES, SUBTYPES
from handlers.nlu.lexicon import Cue
from handlers.nlu.model import NaiveBayes

MODEL_WEIGHT = 2.0  # multiplies the model's log-probabilities
SUB_MODEL_WEIGHT = 1.0
SCAM_WORD_WEIGHT = 3.0  # margin by which a listed scam word puts fraud on top
RULE_WEIGHT = 5.0
CHATTER_BIAS = 1.0  # staying silent is the default: an action needs some evidence
CHATTER_LONG = 60  # beyond this many characters, chatter loses 1 point per CHATTER_STEP characters
CHATTER_STEP = 40
FLOOR = 1e-4


def _log_scores(posterior: dict[str, float], labels: Iterable[str], weight: float) -> dict[str, float]:
    return {label: weight * math.log(max(posterior.get(label, 0.0), FLOOR)) for label in labels}


def _softmax_top(scores: dict[str, float]) -> tuple[str, float]:
    best = max(scores, key=lambda label: (scores[label], -list(scores).index(label)))
    top = scores[best]
    z = sum(math.exp(v - top) for v in scores.values())
    return best, 1.0 / z


def cue_name(cue: Cue) -> str:
    return ("rule:" if cue.weight >= RULE_WEIGHT else "") + cue.name


def pick_intent(
    posterior: dict[str, float], hits: list[Cue], scam_words: list[tuple[str, str]], length: int
) -> tuple[str, float, list[str]]:
    """Return (intent, confidence, cue names that support it)."""
    scores = _log_scores(posterior, INTENTS, MODEL_WEIGHT)
    scores["chatter"] += CHATTER_BIAS - max(0, length - CHATTER_LONG) / CHATTER_STEP
    for cue in hits:
        scores[cue.label] += cue.weight
    if scam_words:  # a listed scam word is a rule: fraud whatever the rest says
        scores["fraud"] = max(scores.values()) + SCAM_WORD_WEIGHT
    intent, confidence = _softmax_top(scores)
    names = []
    if intent == "fraud" and scam_words:
        names.append("诈骗词:" + "+".join(word for word, _ in scam_words[:3]))
    support = sorted((c for c in hits if c.label == intent and c.weight > 0), key=lambda c: -c.weight)
    names += [cue_name(c) for c in support[:3]]
    names.append(f"model:{intent}={posterior.get(intent, 0.0):.2f}")
    return intent, confidence, names


def _pick(model: NaiveBayes | None, feats: set[str], hits: list[Cue], labels: tuple[str, ...], default: str) -> str:
    scores = dict.fromkeys(labels, 0.0)
    if model is not None:
        posterior, _ = model.posterior(feats)
        scores = _log_scores(posterior, labels, SUB_MODEL_WEIGHT)
    for cue in hits:
        if cue.label in scores:
            scores[cue.label] += cue.weight
    best, _ = _softmax_top(scores)
    return best if scores[best] > min(scores.values()) else default


def pick_subtype(model: NaiveBayes | None, feats: set[str], hits: list[Cue]) -> str:
    return _pick(model, feats, hits, SUBTYPES, "other")


def pick_scam_type(
    model: NaiveBayes | None, feats: set[str], hits: list[Cue], scam_words: list[tuple[str, str]]
) -> str:
    typed = [t for _, t in scam_words if t != "other"]
    if typed:
        return typed[0]
    if scam_words:  # an officer's word of unknown type: only explicit cues may name a type
        return _pick(None, feats, hits, SCAM_TYPES, "other")
    return _pick(model, feats, hits, SCAM_TYPES, "other")


def is_urgent(intent: str, hits: list[Cue]) -> bool:
    return sum(c.weight for c in hits if c.label == intent) >= 1.0
