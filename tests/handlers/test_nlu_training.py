"""Training is reproducible (same rows, same weights) and calibration behaves; on a small fixture set,
never the full model (that is ``python -m handlers.nlu.train``)."""
from __future__ import annotations

import math
import random

import pytest

from handlers.nlu.calibration import fit_temperature, reliability
from handlers.nlu.model import LinearHead, Model

FIXTURE = [
    ("请问身份证在哪里办理", "inquiry"), ("居住证要带什么材料", "inquiry"), ("派出所几点上班", "inquiry"),
    ("户口迁移怎么办理", "inquiry"), ("无犯罪记录证明在哪开", "inquiry"), ("护照加急要多久", "inquiry"),
    ("楼上半夜跺脚吵得睡不着", "dispute"), ("房东不退押金", "dispute"), ("邻居把垃圾堆在楼道", "dispute"),
    ("装修公司拿了钱不干活", "dispute"), ("物业不修漏水", "dispute"), ("楼下天天打麻将到两点", "dispute"),
    ("有人说是公安局的让我转安全账户", "fraud"), ("刷单返利先垫付是不是骗子", "fraud"),
    ("客服说要退款让我开屏幕共享", "fraud"), ("收到短信说医保卡异常点链接", "fraud"),
    ("网友让我在平台投资稳赚", "fraud"), ("我被骗了五千怎么报案", "fraud"),
    ("三号楼着火了快打119", "help"), ("楼道好大的煤气味", "help"), ("孩子不见了五岁穿黄衣服", "help"),
    ("老人摔倒起不来头上流血", "help"), ("有人拿刀在楼下追人", "help"), ("我不想活了", "help"),
    ("收到", "chatter"), ("谢谢警官", "chatter"), ("你好", "chatter"), ("今天天气真好", "chatter"),
    ("反诈讲座讲得真好", "chatter"), ("晚安大家", "chatter"), ("好的", "chatter"), ("辛苦了", "chatter"),
]


def fixture_rows() -> list[dict]:
    return [{"text": t, "intent": i, "subtype": "noise" if i == "dispute" else None,
             "scam_type": "other" if i == "fraud" else None, "urgent": i == "help"} for t, i in FIXTURE]


def test_training_twice_on_the_same_rows_gives_identical_weights():
    pytest.importorskip("sklearn")
    from handlers.nlu.train import train

    rows = fixture_rows()
    first, _ = train(rows, k=3)
    second, _ = train(rows, k=3)
    assert first.to_json() == second.to_json()
    assert set(first.heads) >= {"intent", "subtype", "scam_type", "urgent"}
    assert first.heads["intent"].weights and "thresholds" in first.policy


def test_a_fitted_head_classifies_its_own_training_rows():
    pytest.importorskip("sklearn")
    from handlers.nlu.crossval import read_rows
    from handlers.nlu.train import HYPER, fit_head

    rows = fixture_rows()
    feats = [r.features for r in read_rows(rows)]
    head = fit_head(feats, [r["intent"] for r in rows], dict(HYPER, min_df=1))
    right = sum(max(p := head.probabilities(f), key=p.get) == r["intent"] for f, r in zip(feats, rows))
    assert right >= len(rows) - 2


def test_fit_temperature_recovers_a_known_temperature():
    rng = random.Random(7)
    logits, gold = [], []
    for _ in range(3000):
        row = [rng.gauss(0, 3) for _ in range(4)]
        scaled = [math.exp(v / 2.0) for v in row]
        z = sum(scaled)
        gold.append(rng.choices(range(4), weights=[s / z for s in scaled])[0])
        logits.append(row)
    assert fit_temperature(logits, gold) == pytest.approx(2.0, rel=0.15)


def test_reliability_of_calibrated_predictions_is_near_zero():
    rng = random.Random(3)
    conf = [rng.uniform(0.2, 1.0) for _ in range(5000)]
    correct = [rng.random() < c for c in conf]
    report = reliability(conf, correct)
    assert report["ece"] < 0.03
    assert sum(b["n"] for b in report["bins"]) == 5000
    assert reliability([0.9] * 10, [False] * 10)["ece"] == pytest.approx(0.9)


def test_model_round_trips_through_json():
    head = LinearHead(("a", "b"), (0.1, -0.1), {"c:x": (0.5, -0.5)}, 1.3)
    model = Model({"intent": head}, {"thresholds": {"help": 0.4}}, {"rows": 2})
    again = Model.from_json(model.to_json())
    assert again == model
    assert again.heads["intent"].probabilities({"c:x"})["a"] == pytest.approx(1 / (1 + math.exp(-(1.2 / 1.3))))


def test_shipped_model_is_calibrated_on_its_folds():
    from handlers.nlu import get_classifier

    meta = get_classifier().knowledge.model.meta
    cv = meta["cross_validation"]
    assert cv["calibration"]["ece"] <= 0.05
    assert all(0.05 < t < 20 for t in cv["temperatures"].values())


def test_a_reduced_run_keeps_each_files_labels_spread_and_corrections_weigh_more(tmp_path):
    from handlers.nlu.train import CORRECTION_REPEAT, correction_rows, sample_rows

    rows = [{"text": f"{i}", "intent": "chatter" if i < 50 else "help", "_source": "a"} for i in range(100)]
    rows += [{"text": "b", "intent": "fraud", "_source": "b"}] * 3
    picked = sample_rows(rows, 10)
    assert len(picked) == 13 and {r["intent"] for r in picked if r["_source"] == "a"} == {"chatter", "help"}
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "我妈转钱给舅舅", "intent": "dispute", "subtype": "family"}\n', encoding="utf-8")
    assert [r["_source"] for r in correction_rows(path)] == ["corrections.jsonl"] * CORRECTION_REPEAT
    path.write_text('{"intent": "dispute"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        correction_rows(path)
