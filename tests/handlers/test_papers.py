"""人民调解 papers: consent first, then 申请书/告知书/协议书 as DOCX from editable templates, parties masked in the
shared copy, attached to the case and listed in the ledger."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import docx
import pytest

from handlers.cases import flow
from handlers.exports import Request
from handlers.exports.dispute_ledger import rows as ledger_rows
from handlers.mediation import papers
from storage import papers as store
from storage.db import session as new_session
from storage.models import CaseDocument, Person
from storage.sync import sync_community
from tests.factories import DIRECT

NOW = datetime(2026, 11, 6, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(engine, config):  # noqa: ANN001, ANN201
    with new_session(engine) as session:
        sync_community(session, config=config, now=NOW, direct=DIRECT)
        case = flow.open_case(session, now=NOW, actor_id="resident-7", kind="dispute", subtype="neighbor",
                              grid_id="grid-2", assignee_id="officer-2", mediator_id="mediator-building",
                              text="对门邻居占用楼道堆放杂物，电话13912345678")
        session.commit()
        yield session, case


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def person(session, person_id: str) -> Person:  # noqa: ANN001
    return session.get(Person, person_id)


def test_papers_need_both_parties_consent_first(world, config):
    session, case = world
    mediator = person(session, "mediator-building")
    with pytest.raises(papers.PaperRefused, match="先记录双方当事人同意调解"):
        papers.make_paper(session, config=config, case=case, person=mediator, kind="application", shared=False, now=NOW)
    papers.record_consent(session, case=case, person=mediator, party="applicant", name="张三丰", phone="13912345678",
                          now=NOW)
    assert not papers.both_consented(session, case_id=case.id)
    papers.record_consent(session, case=case, person=mediator, party="respondent", name="李四", phone="", now=NOW)
    assert papers.both_consented(session, case_id=case.id)
    doc_id = papers.make_paper(session, config=config, case=case, person=mediator, kind="application", shared=False,
                               now=NOW)
    text = text_of(store.document(session, document_id=doc_id).content)
    assert text.startswith("人民调解申请书") and "申请人：张三丰" in text and "13912345678" in text
    assert "邻里纠纷" in text and "第二网格" in text and "2026年11月06日 10:00" in text


def test_the_shared_agreement_masks_the_parties_and_is_listed_in_the_ledger(world, config):
    session, case = world
    officer = person(session, "officer-2")
    for party, name in (("applicant", "张三丰"), ("respondent", "李四光")):
        papers.record_consent(session, case=case, person=officer, party=party, name=name, phone="13912345678", now=NOW)
    with pytest.raises(papers.PaperRefused, match="化解后"):
        papers.make_paper(session, config=config, case=case, person=officer, kind="agreement", shared=True, now=NOW)
    flow.resolve(session, case=case, actor=officer, now=NOW, outcome="杂物三日内清走，楼道保持畅通")
    doc_id = papers.make_paper(session, config=config, case=case, person=officer, kind="agreement", shared=True, now=NOW)
    doc = store.document(session, document_id=doc_id)
    text = text_of(doc.content)
    assert text.startswith("人民调解协议书") and "杂物三日内清走" in text
    assert "张**" in text and "李**" in text and "张三丰" not in text and "13912345678" not in text
    assert "139****5678" in text and doc.shared and doc.filename == f"{case.id}号-人民调解协议书-共享版.docx"
    session.commit()
    rows = list(ledger_rows(session, Request(since=None, until=None, grid_ids=None, tz=config.tz)))
    assert rows[0][-1] == doc.filename
    events = [e.action for e in flow.cases.case_events(session, case_id=case.id)]
    assert events.count("consent") == 2 and "paper" in events


@pytest.mark.parametrize("who, allowed", [("mediator-building", True), ("officer-2", True), ("officer-1", False),
                                          ("mediator-judicial", False), ("worker-2", False)])
def test_only_those_on_the_case_make_its_papers(world, who, allowed):
    session, case = world
    assert (papers.may_work_papers(session, person(session, who), case) is None) is allowed


def test_an_edited_template_is_used(world, config, tmp_path):
    session, case = world
    (tmp_path / "notice.txt").write_text("调解告知（本社区版）\n当事人：{applicant}、{respondent}\n未知栏目：{nothing}",
                                         encoding="utf-8")
    edited = config.model_copy(update={"console": config.console.model_copy(update={"papers_dir": str(tmp_path)})})
    officer = person(session, "officer-2")
    for party, name in (("applicant", "张三丰"), ("respondent", "李四光")):
        papers.record_consent(session, case=case, person=officer, party=party, name=name, phone="", now=NOW)
    doc_id = papers.make_paper(session, config=edited, case=case, person=officer, kind="notice", shared=False, now=NOW)
    assert text_of(session.get(CaseDocument, doc_id).content) == "调解告知（本社区版）\n当事人：张三丰、李四光\n未知栏目：____"
