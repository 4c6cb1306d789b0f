"""Train the naive Bayes heads from the repo's data: ``python -m handlers.nlu.train``.

By default the model learns only from ``data/train_extra.jsonl`` (hand-written examples), so that the
development corpus stays a held-out test set.  ``--data FILE`` adds more JSONL files.
"""
from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path
from typing import Iterable

from handlers.nlu.features import featurize
from handlers.nlu.lexicon import DATA_PACKAGE, load_typos
from handlers.nlu.model import NaiveBayes, save_models
from handlers.nlu.normalize import normalize

DEFAULT_DATA = "train_extra.jsonl"
MODEL_FILE = "model.json"


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def default_rows() -> list[dict]:
    return read_jsonl(resources.files(DATA_PACKAGE).joinpath(DEFAULT_DATA))


def fit_models(rows: Iterable[dict]) -> dict[str, NaiveBayes]:
    """Fit the intent head on all rows, the subtype and scam-type heads on their intents' rows."""
    typos = load_typos()
    samples = [(featurize(normalize(r["text"], typos)), r) for r in rows]
    return {
        "intent": NaiveBayes.fit((f, r["intent"]) for f, r in samples),
        "subtype": NaiveBayes.fit((f, r["subtype"]) for f, r in samples if r["intent"] == "dispute" and r["subtype"]),
        "scam_type": NaiveBayes.fit((f, r["scam_type"]) for f, r in samples if r["intent"] == "fraud" and r["scam_type"]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], help="extra JSONL training file (repeatable)")
    parser.add_argument("--out", default=None, help="where to write the model (default: the package's data)")
    args = parser.parse_args(argv)
    rows = default_rows()
    for path in args.data:
        rows += read_jsonl(path)
    models = fit_models(rows)
    out = Path(args.out) if args.out else Path(str(resources.files(DATA_PACKAGE).joinpath(MODEL_FILE)))
    meta = {"trained_on": [DEFAULT_DATA] + [Path(p).name for p in args.data], "rows": len(rows)}
    save_models(out, models, meta)
    print(f"trained on {len(rows)} rows; {len(models['intent'].table)} intent features -> {out} "
          f"({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
