"""Quality floors: the figures training measured out of fold (recorded in the shipped model), and the
held-out evaluation file ``data/eval.jsonl`` (written by other people, never trained on).  Floors guard
against regressions; docs/classifier.md has the measured figures."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from handlers.nlu import get_classifier
from handlers.nlu.evaluate import evaluate, format_report

EVAL = Path(__file__).resolve().parents[2] / "handlers" / "nlu" / "data" / "eval.jsonl"
DEV = os.environ.get("GRIDBOT_DEV_CORPUS")  # opt-in only: dev.jsonl is scored once per release, by hand


def test_cross_validation_recorded_at_training_meets_the_floors():
    cv = get_classifier().knowledge.model.meta["cross_validation"]
    report = format_report(cv)
    # leave-one-source-out folds: every row is judged by heads that never saw its author's file
    assert cv["macro_f1"] >= 0.91, report  # each source left out in turn: 0.896 (v6), 0.905 (v8), 0.924 (v10)
    assert cv["per_class"]["help"]["recall"] >= 0.95, report  # v6: 0.956 with an author of plain-word emergencies left out
    # v6: 0.095; v8: 0.100, with two sources of verbatim scam texts whose look-alike negatives (bank notices, forwarded
    # warnings quoting a script) are judged by heads that never saw that author (unsure inquiries and disputes keep
    # their intent); v10: 0.079
    assert cv["chatter_action_rate"] <= 0.09, report
    assert cv["public_actions"]["wrong"] <= 0.025 * cv["public_actions"]["count"], report


@pytest.mark.skipif(not EVAL.exists(), reason="held-out evaluation file not shipped")
def test_held_out_evaluation_file_meets_the_floors():
    result = evaluate(EVAL)
    report = format_report(result)
    # regression floors just below the measured figures of v10 (0.970 / 1.0 / any action 0.035 / 0.031);
    # the targets are 0.96 / 1.0 / 0.02: see "Model v10" in docs/classifier.md. Unsure inquiries and disputes keep their intent
    # (a private card for the officer), so the intent-level chatter rate counts them; the public messages do not.
    assert result["macro_f1"] >= 0.965, report
    assert result["per_class"]["help"]["recall"] >= 0.98, report
    assert result["chatter_any_action_rate"] <= 0.04, report
    assert result["chatter_action_rate"] <= 0.035, report
    assert result["public_actions"]["wrong"] <= 0.03 * result["public_actions"]["count"], report


@pytest.mark.skipif(not DEV, reason="set GRIDBOT_DEV_CORPUS to score the development corpus")
def test_development_corpus_when_asked_for():
    result = evaluate(DEV)
    assert result["macro_f1"] >= 0.92, format_report(result)


def test_a_model_whose_intents_are_not_the_routed_ones_is_refused_at_load():
    from handlers.nlu import lexicon
    from handlers.nlu.classifier import Knowledge
    from handlers.nlu.model import Model

    model = Model.from_json(lexicon.read_data("model.json"))
    head = model.heads["intent"]
    model.heads["intent"] = type(head)(tuple(c if c != "help" else "sos" for c in head.classes), head.bias,
                                       head.weights, head.temperature)
    with pytest.raises(ValueError, match="not the routed intents"):
        Knowledge.load(model)
