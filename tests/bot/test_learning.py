"""Officers' corrections become training rows and a retrained model: `gridbot corrections export` writes them as
corpus JSONL (masked, one row per message, by its latest correction), and `gridbot train` learns from them."""
from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.cli import main
from bot.keys import ENGINE
from handlers.learning import corpus_rows, write_jsonl
from storage import migrate
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Case, Correction
from tests.factories import ROOT

FAMILY_MONEY = "我妈非要把钱转给我舅舅 说是还他的 我舅电话13912345678"
KEYS = ["text", "intent", "subtype", "scam_type", "urgent"]


async def corrected_case(bot, text: str, *commands: str, sender: str = "resident-7") -> int:  # noqa: ANN001
    await bot.talk("grid-2", sender, text)
    _, rows = await bot.api("/api/cases")
    case_id = max(r["id"] for r in rows)
    for command in commands:
        await bot.talk("officer-2", "officer-2", command.format(id=case_id), direct=True)
    return case_id


def exported(engine) -> list[dict]:  # noqa: ANN001
    out = io.StringIO()
    with new_session(engine) as session:
        write_jsonl(corpus_rows(session), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_export_is_corpus_jsonl_masked_one_row_per_message_by_its_latest_correction(bot):
    await corrected_case(bot, FAMILY_MONEY, "/误判 {id} 咨询", "/误判 {id} 纠纷 家庭")
    await corrected_case(bot, "楼上天天半夜蹦迪 吵得孩子睡不着", "/误判 {id} 误报 在开生日会 已经结束",
                         sender="resident-8")
    rows = exported(bot.app[ENGINE])
    assert [list(r) for r in rows] == [KEYS, KEYS], "the format of ../shared/corpus (LABELS.md)"
    family, noise = rows
    assert family["text"] == "我妈非要把钱转给我舅舅 说是还他的 我舅电话139****5678"
    assert (family["intent"], family["subtype"], family["scam_type"], family["urgent"]) == \
        ("dispute", "family", None, False)
    assert (noise["intent"], noise["subtype"], noise["scam_type"]) == ("chatter", None, None)
    assert all("13912345678" not in json.dumps(r, ensure_ascii=False) for r in rows)


def test_the_export_command_writes_the_file_from_the_configured_database(tmp_path, capsys):
    config = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    migrate.upgrade(engine)
    now = datetime(2026, 11, 3, 2, 0, tzinfo=timezone.utc)
    with new_session(engine) as session:
        session.add(Case(id=1, kind="help", text="x", created_at=now, updated_at=now))
        session.flush()
        session.add(Correction(case_id=1, message_id=7, text="着火了 快来 电话13800001111", original_intent="chatter",
                               intent="help", urgent=True, officer_id="officer-2", created_at=now))
        session.add(Correction(case_id=1, message_id=None, text="热线转来的 不是群消息", original_intent="help",
                               intent="inquiry", officer_id="officer-2", created_at=now))
        session.commit()
    engine.dispose()
    out = tmp_path / "corrections.jsonl"
    assert main(["corrections", "export", "--out", str(out), "--config", str(config)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"text": "着火了 快来 电话138****1111", "intent": "help", "subtype": None, "scam_type": None,
                     "urgent": True}], "only messages the bot read; phones masked even if stored raw"
    assert "1 corrections exported" in capsys.readouterr().err


async def test_train_learns_an_officers_correction(bot, tmp_path):
    pytest.importorskip("sklearn")
    from handlers import nlu
    from handlers.nlu.classifier import Classifier, Knowledge
    from handlers.nlu.model import Model

    assert nlu.classify(FAMILY_MONEY).intent == "fraud", "the shipped model's mistake"
    await corrected_case(bot, FAMILY_MONEY, "/误判 {id} 纠纷 家庭")
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in exported(bot.app[ENGINE])),
                           encoding="utf-8")
    held_out = tmp_path / "eval.jsonl"
    held_out.write_text("".join(Path(ROOT / "handlers/nlu/data/eval.jsonl").read_text(encoding="utf-8")
                                .splitlines(keepends=True)[:5]), encoding="utf-8")
    model_file = tmp_path / "model.json"
    assert main(["train", "--corrections", str(corrections), "--out", str(model_file), "--sample", "12",
                 "--eval", str(held_out)]) == 0
    model = Model.from_json(model_file.read_text(encoding="utf-8"))
    assert any("corrections" in s for s in model.meta["trained_on"])
    label = Classifier(Knowledge.load(model)).classify(FAMILY_MONEY)
    assert (label.intent, label.subtype) == ("dispute", "family")


def test_train_refuses_a_missing_corrections_file(tmp_path, capsys):
    assert main(["train", "--corrections", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "m.json")]) == 2
    assert "no such file" in capsys.readouterr().err and not (tmp_path / "m.json").exists()
