"""A small multinomial naive Bayes over binary features, stored as JSON (pure Python)."""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class NaiveBayes:
    classes: tuple[str, ...]
    log_prior: tuple[float, ...]
    log_unseen: tuple[float, ...]
    table: dict[str, tuple[float, ...]]

    @classmethod
    def fit(cls, samples: Iterable[tuple[set[str], str]], *, alpha: float = 0.5, min_count: int = 2) -> "NaiveBayes":
        samples = list(samples)
        classes = tuple(sorted({label for _, label in samples}))
        by_class = {c: Counter() for c in classes}
        docs = Counter(label for _, label in samples)
        total = Counter()
        for feats, label in samples:
            by_class[label].update(feats)
            total.update(feats)
        vocab = sorted(f for f, n in total.items() if n >= min_count)
        size = len(vocab) + 1
        denom = {c: sum(by_class[c][f] for f in vocab) + alpha * size for c in classes}
        table = {
            f: tuple(round(math.log((by_class[c][f] + alpha) / denom[c]), 3) for c in classes) for f in vocab
        }
        n = len(samples)
        return cls(
            classes=classes,
            log_prior=tuple(math.log((docs[c] + 1) / (n + len(classes))) for c in classes),
            log_unseen=tuple(math.log(alpha / denom[c]) for c in classes),
            table=table,
        )

    def log_scores(self, feats: Iterable[str]) -> tuple[list[float], list[str]]:
        """Per-class log-likelihood of the known features (no prior), and the known features."""
        table = self.table
        known = [f for f in feats if f in table]
        if not known:
            return [0.0] * len(self.classes), known
        return [sum(col) for col in zip(*(table[f] for f in known))], known

    def posterior(self, feats: Iterable[str], temperature: float = 1.0) -> tuple[dict[str, float], list[str]]:
        """Class probabilities with the likelihood tempered by ``temperature * sqrt(#known features)``."""
        scores, known = self.log_scores(feats)
        scale = temperature * max(1.0, math.sqrt(len(known)))
        logits = [p + s / scale for p, s in zip(self.log_prior, scores)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        z = sum(exps)
        return {c: e / z for c, e in zip(self.classes, exps)}, known

    def evidence(self, known: Iterable[str], label: str, k: int = 2, prefix: str = "w:") -> list[str]:
        """The ``k`` known features (with ``prefix``) that most favour ``label`` over the other classes."""
        i = self.classes.index(label)
        lifts = []
        for f in known:
            if f.startswith(prefix):
                row = self.table[f]
                lift = row[i] - max(row[:i] + row[i + 1:], default=row[i])
                if lift > 0.5:
                    lifts.append((-lift, f))
        return [f for _, f in sorted(lifts)[:k]]

    def to_dict(self) -> dict:
        return {
            "classes": list(self.classes), "log_prior": list(self.log_prior),
            "log_unseen": list(self.log_unseen), "table": {f: list(v) for f, v in self.table.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "NaiveBayes":
        return cls(
            classes=tuple(data["classes"]), log_prior=tuple(data["log_prior"]),
            log_unseen=tuple(data["log_unseen"]), table={f: tuple(v) for f, v in data["table"].items()},
        )


def save_models(path, models: dict[str, NaiveBayes], meta: dict) -> None:
    payload = {"meta": meta, "heads": {name: m.to_dict() for name, m in models.items()}}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def load_models(text: str) -> dict[str, NaiveBayes]:
    payload = json.loads(text)
    return {name: NaiveBayes.from_dict(d) for name, d in payload["heads"].items()}
