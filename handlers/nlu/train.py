"""Train the model: ``python -m handlers.nlu.train [--data FILE ...] [--out PATH] [--k 5]``.

Needs the training extra (``pip install -e '.[train]'``: scikit-learn).  Reads every training file
(``data/train_extra.jsonl`` and ``data/train/*.jsonl``; never ``data/eval.jsonl``), fits multinomial
logistic-regression heads on the features of ``features.py``, fits a calibration temperature per head and
the decision thresholds on k-fold out-of-fold predictions (``crossval.py``), prunes small weights and
writes ``data/model.json``.  Deterministic: the same rows give the same file.
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Iterable, Sequence

from handlers.nlu.features import Featurizer
from handlers.nlu.lexicon import load_typos
from handlers.nlu.model import LinearHead, Model
from handlers.nlu.normalize import normalize

MODEL_FILE = "model.json"
TRAIN_FILES = ("train_extra.jsonl", "train/*.jsonl")
HYPER = {"C": 100.0, "min_df": 2, "prune": 0.2, "digits": 3, "help_weight": 1.0, "max_iter": 400}
# Which rows train which head, and the label each head learns.
HEADS = {
    "intent": (lambda r: True, lambda r: r["intent"]),
    "subtype": (lambda r: r["intent"] == "dispute" and bool(r.get("subtype")), lambda r: r["subtype"]),
    "scam_type": (lambda r: r["intent"] == "fraud" and bool(r.get("scam_type")), lambda r: r["scam_type"]),
    "urgent": (lambda r: r["intent"] in ("fraud", "dispute"), lambda r: "true" if r.get("urgent") else "false"),
}


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"


def training_files() -> list[Path]:
    root = data_dir()
    return sorted(p for pattern in TRAIN_FILES for p in root.glob(pattern))


def read_sourced(path: Path) -> list[dict]:
    """Rows of one training file, each tagged with ``_source`` (its file name) for grouped folds."""
    return [dict(row, _source=path.name) for row in read_jsonl(path)]


def default_rows() -> list[dict]:
    return [row for path in training_files() for row in read_sourced(path)]


def read_all(rows: Iterable[dict], featurizer: Featurizer | None = None) -> list[frozenset[str]]:
    featurizer = featurizer or Featurizer.load()
    typos = load_typos()
    return [featurizer.read(normalize(r["text"][:1000], typos)).features for r in rows]


def _sklearn():
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit("training needs the 'train' extra: pip install -e '.[train]'") from exc
    return csr_matrix, LogisticRegression


def fit_head(feats: Sequence[frozenset[str]], labels: Sequence[str], hyper: dict = HYPER,
             weights: Sequence[float] | None = None) -> LinearHead:
    """One multinomial logistic regression over binary features (L2, lbfgs), pruned and rounded."""
    csr_matrix, LogisticRegression = _sklearn()
    classes = tuple(sorted(set(labels)))
    if len(classes) == 1:
        return LinearHead(classes, (0.0,), {})
    counts: dict[str, int] = {}
    for row in feats:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= hyper["min_df"])
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices, values = [0], [], []
    for row in feats:  # binary features scaled to unit length, as LinearHead.logits does
        known = sorted(index[f] for f in row if f in index)
        indices.extend(known)
        values.extend([1.0 / math.sqrt(max(1, len(row)))] * len(known))
        indptr.append(len(indices))
    matrix = csr_matrix((values, indices, indptr), shape=(len(feats), len(vocab)))
    clf = LogisticRegression(C=hyper["C"], max_iter=hyper["max_iter"], tol=1e-6)
    clf.fit(matrix, [classes.index(label) for label in labels], sample_weight=weights)
    coef, bias = clf.coef_.tolist(), clf.intercept_.tolist()
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: split it symmetrically
        coef = [[-w / 2 for w in coef[0]], [w / 2 for w in coef[0]]]
        bias = [-bias[0] / 2, bias[0] / 2]
    return _pruned(classes, bias, coef, vocab, hyper)


def _pruned(classes, bias, coef, vocab, hyper) -> LinearHead:
    digits = hyper["digits"]
    table = {}
    for j, f in enumerate(vocab):
        column = [coef[c][j] for c in range(len(classes))]
        mean = sum(column) / len(column)  # softmax ignores a shift shared by all classes
        column = [round(v - mean, digits) for v in column]
        if max(abs(v) for v in column) >= hyper["prune"]:
            table[f] = tuple(column)
    return LinearHead(classes, tuple(round(b, digits) for b in bias), table)


def fit_heads(rows: Sequence[dict], feats: Sequence[frozenset[str]], hyper: dict = HYPER) -> dict[str, LinearHead]:
    heads = {}
    for name, (use, label_of) in HEADS.items():
        idx = [i for i, r in enumerate(rows) if use(r)]
        if not idx:
            continue
        weights = [hyper["help_weight"] if rows[i]["intent"] == "help" else 1.0 for i in idx]
        heads[name] = fit_head([feats[i] for i in idx], [label_of(rows[i]) for i in idx], hyper,
                               weights if name == "intent" else None)
    return heads


def train(rows: Sequence[dict], k: int = 5, hyper: dict = HYPER, sources: Sequence[str] = ()) -> tuple[Model, dict]:
    """Fit the heads on all rows; calibrate and choose thresholds on k-fold out-of-fold predictions."""
    from handlers.nlu import crossval

    readings = crossval.read_rows(rows)
    feats = [r.features for r in readings]
    oof = crossval.out_of_fold(rows, readings, k, hyper)
    temperatures = crossval.fit_temperatures(rows, oof)
    policy, report = crossval.choose_policy(rows, oof, temperatures)
    heads = fit_heads(rows, feats, hyper)
    heads = {name: LinearHead(h.classes, h.bias, h.weights, temperatures.get(name, 1.0))
             for name, h in heads.items()}
    meta = {"trained_on": list(sources), "rows": len(rows), "hyper": hyper, "folds": k,
            "features": {name: len(h.weights) for name, h in heads.items()}, "cross_validation": report}
    return Model(heads, policy, meta), report


CORRECTION_REPEAT = 3  # an officer's correction is verified: it weighs as three rows (and passes min_df alone)
CORRECTIONS_SOURCE = "corrections.jsonl"


def sample_rows(rows: Sequence[dict], per_source: int) -> list[dict]:
    """At most ``per_source`` rows of each training file, evenly spread over it (the files are sorted by label,
    so every label keeps its share): a quick, reduced training run."""
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row.get("_source", ""), []).append(row)
    picked = []
    for group in by_source.values():
        step = max(1.0, len(group) / per_source)
        picked += [group[int(i * step)] for i in range(min(per_source, len(group)))]
    return picked


def correction_rows(path: Path) -> list[dict]:
    """The rows of ``gridbot corrections export``, each repeated CORRECTION_REPEAT times, as one source."""
    rows = read_jsonl(path)
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not row.get("text") or "intent" not in row:
            raise ValueError(f"{path}: line {i}: needs a text and an intent")
    return [dict(row, _source=CORRECTIONS_SOURCE) for row in rows for _ in range(CORRECTION_REPEAT)]


def retrain(corrections: Path | None = None, *, per_source: int | None = None, k: int = 5,
            hyper: dict = HYPER) -> tuple[Model, dict, list[str]]:
    """Train on the shipped files (reduced to ``per_source`` rows each when given) plus the corrections."""
    files = training_files()
    rows = [row for path in files for row in read_sourced(path)]
    if per_source:
        rows = sample_rows(rows, per_source)
    sources = [str(p.relative_to(data_dir())) for p in files]
    if corrections is not None:
        rows += correction_rows(corrections)
        sources.append(f"{corrections.name} (corrections x{CORRECTION_REPEAT})")
    model, report = train(rows, k, hyper, sources)
    return model, report, sources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], help="extra JSONL training file (repeatable)")
    parser.add_argument("--out", default=None, help="where to write the model (default: the package's data)")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args(argv)
    files = training_files() + [Path(p) for p in args.data]
    rows = [row for path in files for row in read_sourced(path)]
    sources = [str(p.relative_to(data_dir())) if p.is_relative_to(data_dir()) else p.name for p in files]
    model, report = train(rows, args.k, HYPER, sources)
    out = Path(args.out) if args.out else data_dir() / MODEL_FILE
    out.write_text(model.to_json(), encoding="utf-8")
    from handlers.nlu.crossval import format_summary

    print(format_summary(report))
    print(f"trained on {len(rows)} rows; features per head {model.meta['features']} -> {out} "
          f"({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
