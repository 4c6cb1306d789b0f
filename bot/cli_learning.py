"""The command line of the classifier's learning: ``gridbot corrections export`` and ``gridbot train``."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable


def add_parsers(sub: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    corr = sub.add_parser("corrections", help="officers' corrections of the classifier (/wrong)")
    corr_sub = corr.add_subparsers(dest="action", required=True)
    export = corr_sub.add_parser("export", help="write the corrections as corpus JSONL (masked)")
    export.add_argument("--out", help="file to write (default: standard output)")
    config_arg(export)
    export.set_defaults(run=cmd_corrections_export)
    train = sub.add_parser("train", help="retrain the classifier on the shipped data plus corrections (needs the "
                                         "'train' extra: scikit-learn)")
    train.add_argument("--corrections", help="JSONL of `gridbot corrections export` to learn from as well")
    train.add_argument("--out", help="where to write the model JSON (default: the package's data/model.json)")
    train.add_argument("--sample", type=int, metavar="N",
                       help="a quick, reduced run: at most N rows of each shipped training file")
    train.add_argument("--k", type=int, default=5, help="folds when there is a single source (default: 5)")
    train.add_argument("--eval", dest="eval_file", help="held-out JSONL to report on (default: the shipped "
                                                       "data/eval.jsonl, never trained on)")
    train.set_defaults(run=cmd_train)


def cmd_corrections_export(args: argparse.Namespace) -> int:
    from bot.cli_console import _engine
    from handlers.learning import corpus_rows, write_jsonl
    from storage.db import session as new_session

    _, engine = _engine(args)
    if engine is None:
        return 2
    try:
        with new_session(engine) as session:
            if args.out:
                with open(args.out, "w", encoding="utf-8") as out:
                    n = write_jsonl(corpus_rows(session), out)
            else:
                n = write_jsonl(corpus_rows(session), sys.stdout)
    finally:
        engine.dispose()
    print(f"{n} corrections exported" + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from handlers.nlu import train as training

    corrections = Path(args.corrections) if args.corrections else None
    if corrections is not None and not corrections.is_file():
        print(f"gridbot train: no such file {corrections}", file=sys.stderr)
        return 2
    try:
        training._sklearn()
    except SystemExit as exc:
        print(f"gridbot train: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        model, report, sources = training.retrain(corrections, per_source=args.sample, k=args.k)
    except ValueError as exc:
        print(f"gridbot train: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else training.data_dir() / training.MODEL_FILE
    out.write_text(model.to_json(), encoding="utf-8")
    print(_held_out(model, args.eval_file))
    print(f"trained on {model.meta['rows']} rows from {', '.join(sources)} in {time.monotonic() - started:.0f} s; "
          f"out-of-fold macro-F1 {report['macro_f1']:.3f}; -> {out} ({out.stat().st_size / 1024:.0f} KiB)")
    return 0


def _held_out(model, eval_file: str | None) -> str:  # noqa: ANN001
    """The new model's figures on the held-out file (never trained on)."""
    from handlers.nlu.classifier import Classifier, Knowledge
    from handlers.nlu.evaluate import evaluate, format_report
    from handlers.nlu.train import data_dir

    path = Path(eval_file) if eval_file else data_dir() / "eval.jsonl"
    if not path.is_file():
        return f"no held-out file {path}"
    clf = Classifier(Knowledge.load(model))
    return f"held out ({path.name}, never trained on):\n" + format_report(evaluate(path, clf.classify, clf.thresholds))
