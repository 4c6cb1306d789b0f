"""``gridbot faq-eval FILE``: how the FAQ does on a labelled question set.

FILE lines: ``{"text": ..., "topics": [topic ids], "style": ...}``; ``topics: []`` marks a question the FAQ
must not answer. Every question gets the decision the inquiry handler would act on:

- answer rate: answered questions among those with topics;
- top-1 accuracy: answers whose first topic is one the question asks about, among all answers;
- wrong-answer rate: answers whose first topic is not one asked about (any answer to a ``[]`` question
  counts), among all questions;
- clarification rate: clarifying questions among all questions (and how often they offered a right topic);
- case rate: left to the officer; plus, for questions on several topics, how many answers covered them all,
  and how many answers carried a topic not asked about.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from handlers.faq.retrieve import ANSWER, CLARIFY, Finding, Retriever

DEFAULT_SET = Path(__file__).resolve().parent / "data" / "eval_questions.jsonl"


def load(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("topics"), list):
            raise ValueError(f'line {n}: needs "text" (a string) and "topics" (a list)')
        rows.append(row)
    if not rows:
        raise ValueError("no questions in the file")
    return rows


def evaluate(rows: Iterable[dict[str, Any]], retriever: Retriever) -> dict[str, Any]:
    rows = list(rows)
    known = {t.key for t in retriever.topics}
    unknown = sorted({k for r in rows for k in r["topics"] if k not in known})
    c: Counter[str] = Counter()
    styles: dict[str, Counter[str]] = {}
    mistakes = []
    for row in rows:
        gold = set(row["topics"])
        found = retriever.find(row["text"])
        outcome = _outcome(found, gold)
        c.update(outcome)
        styles.setdefault(row.get("style", "-"), Counter()).update(outcome | {"n"})
        if "wrong" in outcome:
            mistakes.append({"text": row["text"], "topics": sorted(gold), "answered": [t.key for t in found.topics],
                             "confidence": round(found.confidence, 3)})
    n, answerable = len(rows), sum(1 for r in rows if r["topics"])
    return {
        "n": n, "answerable": answerable, "unanswerable": n - answerable,
        "answer_rate": _ratio(c["answered_answerable"], answerable),
        "top1_accuracy": _ratio(c["right"], c["answered"]),
        "wrong_answer_rate": _ratio(c["wrong"], n),
        "clarification_rate": _ratio(c["clarified"], n),
        "clarification_hits": _ratio(c["clarify_hit"], c["clarified"]),
        "case_rate": _ratio(c["case"], n),
        "unanswerable_answered": _ratio(c["answered"] - c["answered_answerable"], n - answerable),
        "multi_topic_covered": _ratio(c["multi_covered"], c["multi_answered"]),
        "answers_with_extra_topic": _ratio(c["extra"], c["answered"]),
        "by_style": {s: {"n": v["n"], "answered": v["answered"], "wrong": v["wrong"], "clarified": v["clarified"]}
                     for s, v in sorted(styles.items())},
        "unknown_topics": unknown,
        "wrong_answers": mistakes,
    }


def _outcome(found: Finding, gold: set[str]) -> set[str]:
    keys = [t.key for t in found.topics]
    if found.action == ANSWER:
        out = {"answered"} | ({"answered_answerable"} if gold else set())
        out.add("right" if keys[0] in gold else "wrong")
        if set(keys) - gold:
            out.add("extra")
        if len(gold) > 1:
            out.add("multi_answered")
            if gold <= set(keys):
                out.add("multi_covered")
        return out
    if found.action == CLARIFY:
        return {"clarified"} | ({"clarify_hit"} if gold & set(keys) else set())
    return {"case"}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def format_report(result: dict[str, Any]) -> str:
    lines = [
        f"questions: {result['n']} ({result['answerable']} on knowledge-base topics, "
        f"{result['unanswerable']} the FAQ must not answer)",
        f"answer rate:          {result['answer_rate']:.3f}  (answered / questions on a topic)",
        f"top-1 accuracy:       {result['top1_accuracy']:.3f}  (first topic right / answers)",
        f"wrong-answer rate:    {result['wrong_answer_rate']:.3f}  (wrong answers / all questions)",
        f"clarification rate:   {result['clarification_rate']:.3f}  (offered a right topic: "
        f"{result['clarification_hits']:.3f})",
        f"left to the officer:  {result['case_rate']:.3f}",
        f"must-not-answer ones answered: {result['unanswerable_answered']:.3f}",
        f"several topics, all answered:  {result['multi_topic_covered']:.3f}; "
        f"answers with a topic not asked: {result['answers_with_extra_topic']:.3f}",
    ]
    if result["unknown_topics"]:
        lines.append("topics not in the knowledge base: " + ", ".join(result["unknown_topics"]))
    lines.append("by style (n / answered / wrong / clarified):")
    lines += [f"  {s}: {v['n']} / {v['answered']} / {v['wrong']} / {v['clarified']}"
              for s, v in result["by_style"].items()]
    if result["wrong_answers"]:
        lines.append("wrong answers:")
        lines += [f"  {m['text']}  → {', '.join(m['answered'])} (asked: {', '.join(m['topics']) or '-'})"
                  for m in result["wrong_answers"]]
    return "\n".join(lines)
