"""Multinomial logistic regression heads, stored as JSON and evaluated in pure Python.

A head holds, for each feature it kept after pruning, one weight per class; the logits of a message are the
bias plus the sum of the weights of its binary features times 1/sqrt(number of features of the message)
(each message's feature vector has unit length), divided by the head's calibration temperature.
Training (``train.py``, scikit-learn) writes ``data/model.json``; nothing here needs numpy.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Iterable

FORMAT = "gridbot-linear-1"


@dataclass(frozen=True)
class LinearHead:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    temperature: float = 1.0

    def logits(self, feats: Iterable[str]) -> list[float]:
        """Uncalibrated logits (before the temperature)."""
        feats = feats if isinstance(feats, (set, frozenset, list, tuple)) else list(feats)
        get = self.weights.get
        rows = [w for w in map(get, feats) if w is not None]
        if not rows:
            return list(self.bias)
        scale = 1.0 / math.sqrt(len(feats))
        return [b + s * scale for b, s in zip(self.bias, map(sum, zip(*rows)))]

    def probabilities(self, feats: Iterable[str], bonus: dict[str, float] | None = None) -> dict[str, float]:
        """Calibrated class probabilities; ``bonus`` adds calibrated-scale logits to named classes."""
        return softmax(self.classes, [v / self.temperature for v in self.logits(feats)], bonus)

    def evidence(self, feats: Iterable[str], label: str, k: int = 2, prefix: str = "w:") -> list[str]:
        """The ``k`` features with ``prefix`` that most favour ``label`` over the mean of the other classes."""
        i = self.classes.index(label)
        lifts = []
        for f in feats:
            row = self.weights.get(f)
            if row is not None and f.startswith(prefix) and len(row) > 1:
                lift = row[i] - (sum(row) - row[i]) / (len(row) - 1)
                if lift > 0.5:
                    lifts.append((-lift, f))
        return [f for _, f in sorted(lifts)[:k]]

    def to_dict(self) -> dict:
        return {"classes": list(self.classes), "bias": list(self.bias), "temperature": self.temperature,
                "weights": {f: list(v) for f, v in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> "LinearHead":
        classes = tuple(data["classes"])
        weights = {f: tuple(v) for f, v in data["weights"].items()}
        if any(len(v) != len(classes) for v in weights.values()) or len(data["bias"]) != len(classes):
            raise ValueError("model head: every weight row needs one value per class")
        return cls(classes, tuple(data["bias"]), weights, float(data.get("temperature", 1.0)))


def softmax(classes: tuple[str, ...], logits: list[float], bonus: dict[str, float] | None = None) -> dict[str, float]:
    if bonus:
        logits = [v + bonus.get(c, 0.0) for c, v in zip(classes, logits)]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    z = sum(exps)
    return {c: e / z for c, e in zip(classes, exps)}


@dataclass(frozen=True)
class Model:
    """The shipped heads (intent, subtype, scam_type, urgent) and what training measured and chose."""

    heads: dict[str, LinearHead]
    policy: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def to_json(self) -> str:
        payload = {"format": FORMAT, "meta": self.meta, "policy": self.policy,
                   "heads": {name: head.to_dict() for name, head in sorted(self.heads.items())}}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Model":
        payload = json.loads(text)
        if payload.get("format") != FORMAT:
            raise ValueError(f"model.json is not in format {FORMAT}: retrain with python -m handlers.nlu.train")
        heads = {name: LinearHead.from_dict(d) for name, d in payload["heads"].items()}
        return cls(heads, payload.get("policy", {}), payload.get("meta", {}))
