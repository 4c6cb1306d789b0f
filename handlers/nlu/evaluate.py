"""Quality of the classifier on a labelled JSONL file: ``evaluate(path)`` and ``format_report``."""
from __future__ import annotations

import json
from typing import Callable, Iterable

from handlers.nlu.label import INTENTS, Label


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _per_class(gold: list[str], pred: list[str]) -> dict[str, dict]:
    out = {}
    for c in INTENTS:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        n_pred = sum(p == c for p in pred)
        n_gold = sum(g == c for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[c] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}
    return out


def _accuracy_where(rows: list[dict], labels: list[Label], key: str, intent: str) -> float | None:
    pairs = [(r[key], getattr(l, key)) for r, l in zip(rows, labels) if r["intent"] == intent and l.intent == intent]
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else None


def score(rows: list[dict], labels: list[Label]) -> dict:
    """Metrics for gold ``rows`` against predicted ``labels`` (same order)."""
    gold = [r["intent"] for r in rows]
    pred = [l.intent for l in labels]
    per_class = _per_class(gold, pred)
    present = [c for c in INTENTS if per_class[c]["support"]]
    confusion = {g: {p: 0 for p in INTENTS} for g in INTENTS}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    chatter = [p for g, p in zip(gold, pred) if g == "chatter"]
    return {
        "n": len(rows),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(rows) if rows else 0.0,
        "macro_f1": sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0,
        "per_class": per_class,
        "confusion": confusion,
        "subtype_accuracy": _accuracy_where(rows, labels, "subtype", "dispute"),
        "scam_type_accuracy": _accuracy_where(rows, labels, "scam_type", "fraud"),
        "urgent_accuracy": sum(r.get("urgent", False) == l.urgent for r, l in zip(rows, labels)) / len(rows)
        if rows else 0.0,
        "chatter_action_rate": sum(p != "chatter" for p in chatter) / len(chatter) if chatter else 0.0,
    }


def evaluate(path, classify: Callable[[str], Label] | None = None) -> dict:
    """Classify every line of a JSONL file of ``{"text", "intent", ...}`` and score the result."""
    if classify is None:
        from handlers.nlu import classify
    rows = _read(path)
    return score(rows, [classify(r["text"]) for r in rows])


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(result: dict) -> str:
    lines = [
        f"n={result['n']}  accuracy={_fmt(result['accuracy'])}  macro-F1={_fmt(result['macro_f1'])}",
        f"{'intent':<10}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for c, m in result["per_class"].items():
        lines.append(f"{c:<10}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}")
    lines.append("confusion (rows gold, columns predicted): " + " ".join(c[:4] for c in INTENTS))
    for g, row in result["confusion"].items():
        lines.append(f"  {g:<9}" + " ".join(f"{row[p]:>4}" for p in INTENTS))
    lines.append(
        f"subtype accuracy={_fmt(result.get('subtype_accuracy'))}  scam_type accuracy="
        f"{_fmt(result.get('scam_type_accuracy'))}  urgent accuracy={_fmt(result.get('urgent_accuracy'))}  "
        f"chatter action rate={_fmt(result.get('chatter_action_rate'))}"
    )
    return "\n".join(lines)


def errors(rows: Iterable[dict], labels: Iterable[Label]) -> list[tuple[dict, Label]]:
    """The rows whose intent was predicted wrongly (for inspection)."""
    return [(r, l) for r, l in zip(rows, labels) if r["intent"] != l.intent]
