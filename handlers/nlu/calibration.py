"""Calibration: temperature scaling fitted on out-of-fold logits, and its report (ECE, reliability bins).

Pure Python, so that ``evaluate`` can report calibration without the training extra.
"""
from __future__ import annotations

import math
from typing import Sequence

BINS = 10


def _nll(logits: Sequence[Sequence[float]], gold: Sequence[int], temperature: float) -> float:
    total = 0.0
    for row, g in zip(logits, gold):
        scaled = [v / temperature for v in row]
        top = max(scaled)
        total += top + math.log(sum(math.exp(v - top) for v in scaled)) - scaled[g]
    return total / max(1, len(gold))


def fit_temperature(logits: Sequence[Sequence[float]], gold: Sequence[int], lo: float = 0.05,
                    hi: float = 20.0, steps: int = 60) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T) (golden-section
    search on log T; the NLL is unimodal in T for a fixed set of logits)."""
    a, b = math.log(lo), math.log(hi)
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = _nll(logits, gold, math.exp(c)), _nll(logits, gold, math.exp(d))
    for _ in range(steps):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = _nll(logits, gold, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = _nll(logits, gold, math.exp(d))
    return round(math.exp((a + b) / 2), 4)


def reliability(confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> dict:
    """Expected calibration error of the top-class confidence, and the per-bin table behind it."""
    table = []
    ece = 0.0
    n = len(confidences)
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        idx = [j for j, c in enumerate(confidences) if lo < c <= hi or (i == 0 and c == 0.0)]
        if not idx:
            continue
        conf = sum(confidences[j] for j in idx) / len(idx)
        acc = sum(bool(correct[j]) for j in idx) / len(idx)
        ece += len(idx) / n * abs(acc - conf)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(idx), "confidence": round(conf, 4),
                      "accuracy": round(acc, 4)})
    return {"ece": round(ece, 4), "bins": table}


def format_reliability(report: dict) -> list[str]:
    lines = [f"calibration: ECE={report['ece']:.3f}  (bin, n, mean confidence, accuracy)"]
    lines += [f"  {b['bin']:<8}{b['n']:>6}{b['confidence']:>8.3f}{b['accuracy']:>8.3f}" for b in report["bins"]]
    return lines
