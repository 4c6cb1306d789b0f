"""Quality of the classifier on a labelled JSONL file: ``evaluate(path)`` and ``format_report``.

Besides intent metrics it reports urgency, the decision policy's public messages (how many, how many wrong
by the gold label), calibration (ECE and reliability bins) and the danger detector against gold help/urgent.
"""
from __future__ import annotations

import json
from typing import Callable, Iterable, Sequence

from handlers.nlu.calibration import format_reliability, reliability
from handlers.nlu.label import INTENTS, Label
from handlers.nlu.policy import PUBLIC, SILENT, Decision, Thresholds, danger_flagged, decide


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict) or "text" not in row or row.get("intent") not in INTENTS:
            raise ValueError(f"line {i}: needs a text and an intent in {', '.join(INTENTS)}")
    return rows


def _pr(gold: Sequence[bool], pred: Sequence[bool]) -> dict:
    tp = sum(g and p for g, p in zip(gold, pred))
    n_pred, n_gold = sum(pred), sum(gold)
    return {"precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0,
            "predicted": n_pred, "support": n_gold}


def _per_class(gold: list[str], pred: list[str]) -> dict[str, dict]:
    out = {}
    for c in INTENTS:
        m = _pr([g == c for g in gold], [p == c for p in pred])
        p, r = m["precision"], m["recall"]
        out[c] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": m["support"]}
    return out


def _accuracy_where(rows: list[dict], labels: list[Label], key: str, intent: str) -> float | None:
    pairs = [(r.get(key), getattr(l, key)) for r, l in zip(rows, labels) if r["intent"] == intent and l.intent == intent]
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else None


def _public(rows: list[dict], labels: list[Label], decisions: list[Decision]) -> dict:
    public = [(r, l) for r, l, d in zip(rows, labels, decisions) if d.action == PUBLIC]
    by_intent = {}
    for c in INTENTS:
        mine = [(r, l) for r, l in public if l.intent == c]
        if mine:
            by_intent[c] = {"count": len(mine), "wrong": sum(r["intent"] != c for r, _ in mine)}
    return {"count": len(public), "wrong": sum(r["intent"] != l.intent for r, l in public), "by_intent": by_intent}


def score(rows: list[dict], labels: list[Label], thresholds: Thresholds | None = None) -> dict:
    """Metrics for gold ``rows`` against predicted ``labels`` (same order) under the decision policy."""
    if thresholds is None:
        from handlers.nlu import get_classifier

        thresholds = get_classifier().thresholds
    decisions = [decide(label, thresholds) for label in labels]
    gold = [r["intent"] for r in rows]
    pred = [l.intent for l in labels]
    per_class = _per_class(gold, pred)
    present = [c for c in INTENTS if per_class[c]["support"]]
    confusion = {g: {p: 0 for p in INTENTS} for g in INTENTS}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    chatter = [(p, d) for g, p, d in zip(gold, pred, decisions) if g == "chatter"]
    dangerous = [g == "help" or bool(r.get("urgent")) for g, r in zip(gold, rows)]
    return {
        "n": len(rows),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(rows) if rows else 0.0,
        "macro_f1": sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0,
        "per_class": per_class,
        "confusion": confusion,
        "subtype_accuracy": _accuracy_where(rows, labels, "subtype", "dispute"),
        "scam_type_accuracy": _accuracy_where(rows, labels, "scam_type", "fraud"),
        "urgent_accuracy": sum(bool(r.get("urgent")) == l.urgent for r, l in zip(rows, labels)) / len(rows)
        if rows else 0.0,
        "urgent": _pr([bool(r.get("urgent")) for r in rows], [l.urgent for l in labels]),
        "chatter_action_rate": sum(p != "chatter" for p, _ in chatter) / len(chatter) if chatter else 0.0,
        "chatter_any_action_rate": sum(d.action != SILENT or d.alert for _, d in chatter) / len(chatter)
        if chatter else 0.0,
        "public_actions": _public(rows, labels, decisions),
        "actions": {a: sum(d.action == a for d in decisions) for a in ("public", "private", "clarify", "silent")},
        "calibration": reliability([l.confidence for l in labels], [g == p for g, p in zip(gold, pred)]),
        "danger": _pr(dangerous, [danger_flagged(l.danger, thresholds) for l in labels]),
        "alert": _pr(dangerous, [d.alert for d in decisions]),
    }


def evaluate(path, classify: Callable[[str], Label] | None = None, thresholds: Thresholds | None = None) -> dict:
    """Classify every line of a JSONL file of ``{"text", "intent", ...}`` and score the result."""
    if classify is None:
        from handlers.nlu import classify
    rows = _read(path)
    return score(rows, [classify(r["text"]) for r in rows], thresholds)


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
    if "public_actions" in result:
        pub, urg, dan, alert = result["public_actions"], result["urgent"], result["danger"], result["alert"]
        lines.append(f"urgent P={_fmt(urg['precision'])} R={_fmt(urg['recall'])}  danger detector "
                     f"P={_fmt(dan['precision'])} R={_fmt(dan['recall'])}  officer alert P={_fmt(alert['precision'])} "
                     f"R={_fmt(alert['recall'])}  chatter any action={_fmt(result['chatter_any_action_rate'])}")
        lines.append(f"public messages={pub['count']} wrong={pub['wrong']}  "
                     + " ".join(f"{c}:{v['count']}/{v['wrong']}" for c, v in pub["by_intent"].items())
                     + "  actions " + " ".join(f"{a}={n}" for a, n in result["actions"].items()))
        lines += format_reliability(result["calibration"])
    return "\n".join(lines)


def errors(rows: Iterable[dict], labels: Iterable[Label]) -> list[tuple[dict, Label]]:
    """The rows whose intent was predicted wrongly (for inspection)."""
    return [(r, l) for r, l in zip(rows, labels) if r["intent"] != l.intent]
