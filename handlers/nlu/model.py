"""Multinomial logistic regression heads, stored as JSON and evaluated in pure Python.

A head holds, for each feature it kept after pruning, one weight per class; the logits of a message are the
bias plus the sum of the weights of its binary features times 1/sqrt(number of features of the message)
(each message's feature vector has unit length), divided by the head's calibration temperature.
Training (``train.py``, scikit-learn) writes ``data/model.json``; nothing here needs numpy.
"""
from __future__ import annotations

import base64
import json
import math
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

FORMAT = "gridbot-linear-2"  # weights packed (PackedWeights.encode); "gridbot-linear-1" (rows in JSON) still loads
FORMATS = ("gridbot-linear-1", FORMAT)


class PackedWeights(Mapping):
    """feature → one weight per class, packed: an index of the features and one flat array of doubles. The same
    values as a dict of tuples of floats in about a third of the memory (the shipped model: ~58 MB → ~17 MB of a
    serving process), and the same sums, added in the same order."""

    __slots__ = ("_index", "_values", "_width")

    def __init__(self, features: Sequence[str], values: array, width: int) -> None:
        if len(values) != len(features) * width or len(set(features)) != len(features):
            raise ValueError("model head: every weight row needs one value per class, each feature once")
        # feature → where its row starts; the heads' shared feature names are stored once
        self._index = {sys.intern(f): i * width for i, f in enumerate(features)}
        self._values, self._width = values, width

    @classmethod
    def from_rows(cls, rows: Mapping[str, Sequence[float]], width: int) -> "PackedWeights":
        values = array("d")
        for row in rows.values():
            if len(row) != width:
                raise ValueError("model head: every weight row needs one value per class")
            values.extend(row)
        return cls(list(rows), values, width)

    @classmethod
    def decode(cls, features: Sequence[str], packed: str, scale: int, width: int) -> "PackedWeights":
        """From the stored form: little-endian int32 weights times ``scale``, base64. Each weight is divided back
        one at a time (int / int is correctly rounded: the same double as the decimal it was written from), so
        loading makes no list of floats as large as the model."""
        if scale < 1 or 10 ** round(math.log10(scale)) != scale:
            raise ValueError(f"model head: scale {scale} is not a power of ten")
        ints = array("i")
        if ints.itemsize != 4:
            raise ValueError("model head: this platform has no 4-byte array('i')")
        try:
            ints.frombytes(base64.b64decode(packed, validate=True))
        except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError; a length not a multiple of 4 too
            raise ValueError(f"model head: packed weights unreadable ({exc})") from None
        if sys.byteorder == "big":
            ints.byteswap()
        return cls(features, array("d", (v / scale for v in ints)), width)

    def encode(self) -> tuple[list[str], str, int]:
        """(features, packed, scale): the smallest power-of-ten scale that keeps every weight exactly."""
        for digits in range(7):
            scale = 10 ** digits
            ints = [round(v * scale) for v in self._values]
            if all(i / scale == v for i, v in zip(ints, self._values)) and all(abs(i) < 2 ** 31 for i in ints):
                break
        else:
            raise ValueError("model head: weights must be rounded (at most 6 decimals) to be stored")
        packed = array("i", ints)
        if sys.byteorder == "big":
            packed.byteswap()
        return list(self._index), base64.b64encode(packed.tobytes()).decode("ascii"), scale

    def __getitem__(self, feature: str) -> tuple[float, ...]:
        start = self._index[feature]
        return tuple(self._values[start:start + self._width])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def rows_of(self, feats: Iterable[str]) -> list[array]:
        """The weight rows of the features this head knows, in the order given."""
        get, values, width = self._index.get, self._values, self._width
        return [values[start:start + width] for start in map(get, feats) if start is not None]


@dataclass(frozen=True)
class LinearHead:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, Sequence[float]]  # PackedWeights when loaded; a dict of tuples straight from training
    temperature: float = 1.0

    def logits(self, feats: Iterable[str]) -> list[float]:
        """Uncalibrated logits (before the temperature)."""
        feats = feats if isinstance(feats, (set, frozenset, list, tuple)) else list(feats)
        if isinstance(self.weights, PackedWeights):
            rows = self.weights.rows_of(feats)
        else:
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
        rows = dict(sorted(self.weights.items()))
        features, packed, scale = PackedWeights.from_rows(rows, len(self.classes)).encode()
        return {"classes": list(self.classes), "bias": list(self.bias), "temperature": self.temperature,
                "features": features, "scale": scale, "weights": packed}

    @classmethod
    def from_dict(cls, data: dict) -> "LinearHead":
        classes = tuple(data["classes"])
        if len(data["bias"]) != len(classes):
            raise ValueError("model head: every weight row needs one value per class")
        if isinstance(data["weights"], str):
            weights = PackedWeights.decode(data["features"], data["weights"], int(data["scale"]), len(classes))
        else:  # gridbot-linear-1: a row of weights per feature
            weights = PackedWeights.from_rows(data["weights"], len(classes))
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
        if payload.get("format") not in FORMATS:
            raise ValueError(f"model.json is not in format {FORMAT}: retrain with python -m handlers.nlu.train")
        heads = {name: LinearHead.from_dict(d) for name, d in payload["heads"].items()}
        return cls(heads, payload.get("policy", {}), payload.get("meta", {}))
