"""k-fold cross-validation over the training data: the tuning ground for calibration and thresholds.

``python -m handlers.nlu.crossval [--data FILE ...] [--k 5] [--json]`` — needs the training extra.
Every row is predicted by heads that never saw it (out of fold); the temperatures, the decision thresholds
and the figures in docs/classifier.md come from those predictions.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, replace
from typing import Sequence

from handlers.nlu.calibration import fit_temperature
from handlers.nlu.classifier import build_label
from handlers.nlu.features import Featurizer, Reading
from handlers.nlu.label import Label
from handlers.nlu.lexicon import load_typos
from handlers.nlu.model import LinearHead, Model, softmax
from handlers.nlu.normalize import normalize
from handlers.nlu.policy import Thresholds

PUBLIC_PRECISION = 0.98  # a public message must be right this often on held-out (leave-one-source-out) folds
MIN_SUPPORT = 10  # fewer public messages than this at a threshold: not enough evidence for it
GRID = tuple(round(0.30 + 0.01 * i, 2) for i in range(70))  # 0.30 … 0.99
SCAM_WORD_LOGIT = 20.0  # officer-added scam word: evidence in calibrated logits (a bare chatter line sits ~15 below fraud)
MISSED_HELP_COST = 10
CHATTER_ACTION = 0.02  # at most this share of chatter may be given an action (target)
ACTION_MIN_GRID = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass
class Fold:
    """Out-of-fold predictions for one row, at temperature 1."""

    reading: Reading
    probs: dict[str, dict[str, float]]  # head -> class -> probability


def folds(n: int, k: int) -> list[list[int]]:
    """Deterministic folds: row i goes to fold i mod k."""
    return [[i for i in range(n) if i % k == fold] for fold in range(k)]


def source_folds(rows: Sequence[dict], k: int) -> list[list[int]]:
    """Leave-one-source-out folds when the rows come from several files (``_source``, one author and style
    each): every row is predicted by heads that never saw its author's file, which is what an unseen set
    written by other people looks like.  Otherwise (one file, or fewer files than 2) ``folds``."""
    sources = sorted({r.get("_source") for r in rows} - {None})
    if len(sources) < 2 or any(r.get("_source") is None for r in rows):
        return folds(len(rows), k)
    return [[i for i, r in enumerate(rows) if r["_source"] == s] for s in sources]


def read_rows(rows: Sequence[dict]) -> list[Reading]:
    featurizer, typos = Featurizer.load(), load_typos()
    return [featurizer.read(normalize(r["text"][:1000], typos)) for r in rows]


def out_of_fold(rows: Sequence[dict], readings: Sequence[Reading], k: int, hyper: dict) -> list[Fold]:
    from handlers.nlu.train import fit_heads

    result: list[Fold | None] = [None] * len(rows)
    feats = [r.features for r in readings]
    for test_idx in source_folds(rows, k):
        held_out = set(test_idx)
        train_idx = [i for i in range(len(rows)) if i not in held_out]
        heads = fit_heads([rows[i] for i in train_idx], [feats[i] for i in train_idx], hyper)
        for i in test_idx:
            result[i] = Fold(readings[i], {name: h.probabilities(feats[i]) for name, h in heads.items()})
    return result  # type: ignore[return-value]


def rescale(probs: dict[str, float], temperature: float) -> dict[str, float]:
    classes = tuple(probs)
    return softmax(classes, [math.log(max(probs[c], 1e-12)) / temperature for c in classes])


def fit_temperatures(rows: Sequence[dict], oof: Sequence[Fold]) -> dict[str, float]:
    from handlers.nlu.train import HEADS

    temps = {}
    for name, (use, label_of) in HEADS.items():
        pairs = [(f.probs[name], label_of(r)) for r, f in zip(rows, oof) if use(r) and name in f.probs]
        pairs = [(p, g) for p, g in pairs if g in p]
        if pairs:  # a fold's head may lack a class its training rows did not have (a small or reduced run)
            classes = tuple(sorted({c for p, _ in pairs for c in p}))
            logits = [[math.log(max(p.get(c, 0.0), 1e-12)) for c in classes] for p, _ in pairs]
            temps[name] = fit_temperature(logits, [classes.index(g) for _, g in pairs])
    return temps


def calibrated_model(oof_fold: Fold, temps: dict[str, float]) -> Model:
    """A stand-in model whose heads answer this row's out-of-fold calibrated probabilities."""
    heads = {}
    for name, probs in oof_fold.probs.items():
        scaled = rescale(probs, temps.get(name, 1.0))
        classes = tuple(scaled)
        heads[name] = LinearHead(classes, tuple(math.log(max(scaled[c], 1e-12)) for c in classes), {})
    return Model(heads)


def oof_labels(oof: Sequence[Fold], temps: dict[str, float], thresholds: Thresholds) -> list[Label]:
    return [build_label(calibrated_model(f, temps), thresholds, f.reading) for f in oof]


def _pick_intent_thresholds(rows: Sequence[dict], oof_probs: list[dict[str, float]], oof: Sequence[Fold],
                            base: Thresholds) -> Thresholds:
    """Help promotion first (a missed help costs as much as MISSED_HELP_COST false ones), then ``action_min``: the
    best macro-F1 among values that keep at most CHATTER_ACTION of chatter rows out of chatter."""

    from handlers.nlu.evaluate import _per_class
    from handlers.nlu.policy import acted_intent, pick_intent

    gold = [r["intent"] for r in rows]
    best = None
    for th in (0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.07, 0.05):
        for thd in (0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.01, 0.0):
            t = replace(base, help=th, help_danger=min(thd, th))
            picked = [pick_intent(p, f.reading.danger, t) for p, f in zip(oof_probs, oof)]
            hits = sum(g == "help" and p == "help" for g, p in zip(gold, picked))
            false = sum(g != "help" and p == "help" for g, p in zip(gold, picked))
            key = (hits - false / MISSED_HELP_COST, th, thd)
            if best is None or key > best[0]:
                best = (key, t)
    chosen, candidates = best[1], []
    for action_min in ACTION_MIN_GRID:
        t = replace(chosen, action_min=action_min)
        picked = [acted_intent(p, f.reading.danger, t) for p, f in zip(oof_probs, oof)]
        per_class = _per_class(gold, picked)
        chatter = [p for g, p in zip(gold, picked) if g == "chatter"]
        rate = sum(p != "chatter" for p in chatter) / max(1, len(chatter))
        macro = sum(m["f1"] for m in per_class.values() if m["support"]) / max(1, sum(
            1 for m in per_class.values() if m["support"]))
        candidates.append((rate <= CHATTER_ACTION, macro if rate <= CHATTER_ACTION else -rate, t))
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _threshold_table(labels: Sequence[Label], rows: Sequence[dict], intent: str) -> tuple[float, list[dict]]:
    """Public threshold for ``intent``: the lowest t from which on every threshold keeps out-of-fold precision
    >= PUBLIC_PRECISION (with at least MIN_SUPPORT public messages), and the table it was chosen from."""
    from handlers.nlu.policy import gate

    eligible = [(l.probability(intent), r["intent"] == intent) for l, r in zip(labels, rows)
                if l.intent == intent and gate(intent, frozenset(l.signals), l.danger) is None]
    total = sum(r["intent"] == intent for r in rows)
    table, chosen = [], None
    for t in reversed(GRID):
        hit = [ok for p, ok in eligible if p >= t]
        precision = sum(hit) / len(hit) if hit else 1.0
        table.append({"t": t, "n": len(hit), "precision": round(precision, 4),
                      "recall": round(sum(hit) / total, 4) if total else 0.0})
        if precision < PUBLIC_PRECISION:
            break
        if len(hit) >= MIN_SUPPORT:
            chosen = t
    return (chosen if chosen is not None else 1.01), table[::-1]


VETO_GRID = (0.95, 0.97, 0.98, 0.99, 0.995)  # from 0.95 up: a margin, whatever the folds allow


def _pick_chatter_veto(rows: Sequence[dict], labels: Sequence[Label], base: Thresholds) -> float:
    """The lowest P(chatter) that may overrule a danger flag without taking the alert from any out-of-fold call
    for help or urgent message (recall first: NEVER when even the highest value would cost one)."""
    from handlers.nlu.policy import NEVER, alerts

    dangerous = [(dict(l.probabilities), l) for l, r in zip(labels, rows) if r["intent"] == "help" or r.get("urgent")]
    for veto in VETO_GRID:
        t = replace(base, chatter_veto=veto)
        if all(alerts(l.intent, p, l.danger, t) == alerts(l.intent, p, l.danger, base) for p, l in dangerous):
            return veto
    return NEVER


def choose_policy(rows: Sequence[dict], oof: Sequence[Fold], temps: dict[str, float]) -> tuple[dict, dict]:
    """Thresholds for ``policy.decide`` from out-of-fold calibrated predictions, and the CV report."""
    from handlers.nlu.evaluate import score

    oof_probs = [rescale(f.probs["intent"], temps.get("intent", 1.0)) for f in oof]
    t = _pick_intent_thresholds(rows, oof_probs, oof, Thresholds())
    labels = oof_labels(oof, temps, t)
    public, tables = {}, {}
    for intent in ("inquiry", "dispute", "fraud", "help"):
        public[intent], tables[intent] = _threshold_table(labels, rows, intent)
    t = replace(t, public=public, chatter_veto=_pick_chatter_veto(rows, labels, t))
    report = score(list(rows), labels, t)
    report["temperatures"] = temps
    report["threshold_tables"] = {c: [row for row in tab if row["t"] >= public[c] - 0.1] for c, tab in tables.items()}
    policy = {"thresholds": t.to_dict(), "scam_word_logit": SCAM_WORD_LOGIT,
              "chosen_for": {"public_precision": PUBLIC_PRECISION, "min_support": MIN_SUPPORT}}
    return policy, report


def cross_validate(rows: Sequence[dict], k: int = 5, hyper: dict | None = None) -> dict:
    """The CV report of training on ``rows`` (what ``train`` writes into the model's meta)."""
    from handlers.nlu.train import HYPER

    readings = read_rows(rows)
    oof = out_of_fold(rows, readings, k, hyper or HYPER)
    temps = fit_temperatures(rows, oof)
    return choose_policy(rows, oof, temps)[1]


def format_summary(report: dict) -> str:
    from handlers.nlu.evaluate import format_report

    lines = [format_report(report), "temperatures: " + json.dumps(report.get("temperatures", {}))]
    for intent, table in report.get("threshold_tables", {}).items():
        shown = " ".join(f"{r['t']:.2f}:{r['precision']:.3f}/{r['recall']:.3f}(n={r['n']})" for r in table[::3])
        lines.append(f"public threshold table {intent} (t:precision/recall): {shown}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    from handlers.nlu.train import default_rows, read_jsonl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], help="more JSONL rows to pool in (repeatable)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = default_rows()
    for path in args.data:
        rows += read_jsonl(path)
    result = cross_validate(rows, args.k)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_summary(result))


if __name__ == "__main__":
    main()
