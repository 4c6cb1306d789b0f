"""k-fold cross-validation of the whole classifier (cue tables fixed, model refitted per fold).

``python -m handlers.nlu.crossval [--data FILE ...] [--k 5]`` — by default over ``data/train_extra.jsonl``;
add ``--data /path/to/dev.jsonl`` to pool the development corpus in as well.
"""
from __future__ import annotations

import argparse
import dataclasses
import json

from handlers.nlu.classifier import Classifier, Knowledge
from handlers.nlu.evaluate import format_report, score
from handlers.nlu.train import default_rows, fit_models, read_jsonl


def folds(n: int, k: int) -> list[list[int]]:
    """Deterministic folds: row i goes to fold i mod k (rows are stored grouped by class)."""
    return [[i for i in range(n) if i % k == fold] for fold in range(k)]


def cross_validate(rows: list[dict], k: int = 5, base: Knowledge | None = None) -> dict:
    base = base or Knowledge.load()
    labels = [None] * len(rows)
    for test_idx in folds(len(rows), k):
        held_out = set(test_idx)
        models = fit_models(r for i, r in enumerate(rows) if i not in held_out)
        classifier = Classifier(dataclasses.replace(base, models=models))
        for i in test_idx:
            labels[i] = classifier.classify(rows[i]["text"])
    return score(rows, labels)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], help="more JSONL rows to pool in (repeatable)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = default_rows()
    for path in args.data:
        rows += read_jsonl(path)
    result = cross_validate(rows, args.k)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_report(result))


if __name__ == "__main__":
    main()
