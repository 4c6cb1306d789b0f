"""The model file: weights packed as int32 multiples of a power of ten (base64), loaded into one flat array per
head — the same weights, to the last bit, as the rows they were written from; the older row-per-feature format
still loads; weights that cannot be stored exactly are refused."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.nlu import lexicon
from handlers.nlu.model import FORMAT, LinearHead, Model, PackedWeights

CLASSES = ("chatter", "dispute", "fraud")
ROWS = {"w:吵": (-0.5, 1.25, -0.75), "b:00": (0.001, -0.002, 0.001), "q:fraud:客服": (-21.833, 0.0, 21.833)}


def model_of(rows: dict) -> Model:
    return Model({"intent": LinearHead(CLASSES, (0.1, -0.2, 0.1), rows, 1.5)}, {"thresholds": {}}, {"rows": 3})


def test_packed_weights_read_back_exactly_and_score_like_the_rows():
    text = model_of(ROWS).to_json()
    head = Model.from_json(text).heads["intent"]
    stored = json.loads(text)["heads"]["intent"]
    assert json.loads(text)["format"] == FORMAT and stored["scale"] == 1000 and isinstance(stored["weights"], str)
    assert isinstance(head.weights, PackedWeights) and dict(head.weights.items()) == ROWS
    assert head.weights["w:吵"] == (-0.5, 1.25, -0.75) and head.weights.get("unknown") is None
    feats = ["w:吵", "unknown", "q:fraud:客服"]
    assert head.logits(feats) == LinearHead(CLASSES, (0.1, -0.2, 0.1), ROWS, 1.5).logits(feats)


def test_the_older_format_with_a_row_per_feature_still_loads():
    old = {"format": "gridbot-linear-1", "meta": {}, "policy": {},
           "heads": {"intent": {"classes": list(CLASSES), "bias": [0, 0, 0], "temperature": 1.0,
                                "weights": {f: list(v) for f, v in ROWS.items()}}}}
    assert dict(Model.from_json(json.dumps(old)).heads["intent"].weights.items()) == ROWS


def test_the_shipped_model_round_trips_unchanged():
    text = lexicon.read_data("model.json")
    model = Model.from_json(text)
    assert json.loads(text)["format"] == FORMAT and model.to_json() == text


@pytest.mark.parametrize("rows, error", [
    ({"w:x": (0.1234567, 0.0, 0.0)}, "rounded"),  # more decimals than can be kept exactly
    ({"w:x": (0.5, 0.5)}, "one value per class"),
])
def test_weights_that_cannot_be_stored_are_refused(rows, error):
    with pytest.raises(ValueError, match=error):
        model_of(rows).to_json()


@pytest.mark.parametrize("damage, error", [
    (lambda head: head["features"].append("w:extra"), "one value per class"),  # a feature more than the rows
    (lambda head: head.update(weights=head["weights"][:-4] + "!!!!"), "unreadable"),  # not base64
    (lambda head: head.update(weights=head["weights"][:-8]), "unreadable|one value per class"),  # cut short
    (lambda head: head.update(scale=0), "not a power of ten"),
    (lambda head: head.update(scale=300), "not a power of ten"),
])
def test_a_damaged_head_is_refused(damage, error):
    stored = json.loads(model_of(ROWS).to_json())
    damage(stored["heads"]["intent"])
    with pytest.raises(ValueError, match=error):
        Model.from_json(json.dumps(stored))


@given(st.lists(st.integers(-2_000_000, 2_000_000), min_size=3, max_size=30).filter(lambda v: len(v) % 3 == 0),
       st.sampled_from([1, 10, 1000, 10 ** 6]))
def test_any_rounded_weights_survive_the_trip(ints, scale):
    values = [i / scale for i in ints]
    rows = {f"f{n}": tuple(values[n * 3:n * 3 + 3]) for n in range(len(values) // 3)}
    assert dict(Model.from_json(model_of(rows).to_json()).heads["intent"].weights.items()) == rows
