"""人民调解 papers of a dispute: the parties' consent, then 申请书 / 告知书 and, once mediated, 协议书.

Each paper is a plain-text template (handlers/data/papers/<kind>.txt, or the same file in ``[console]
papers_dir`` to edit the wording) whose first line is the title and whose {fields} are filled from the case.
The DOCX is written with python-docx and attached to the case; the shared copy of an agreement masks the
parties' names and phones (it goes to people who are not party to the case)."""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from handlers import scope, texts
from handlers.privacy import mask_name, mask_personal
from handlers.roles import HOLDERS
from storage import cases, papers, roster
from storage.models import Case, Grid, Person, Role

PARTIES = ("applicant", "respondent")
KINDS = ("application", "notice", "agreement")
FONT = "宋体"
TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "papers"


class PaperRefused(Exception):
    """Why a paper or a consent cannot be made now: one Chinese sentence."""


def may_work_papers(session: Session, person: Person, case: Case) -> str | None:
    """None when the person may record consent and make papers for the case; else the refusal."""
    if person.role not in HOLDERS:
        return texts.PAPER_ROLE
    if not scope.may_act_on(session, person, case):
        return (texts.NOT_YOUR_CASE if person.role == Role.MEDIATOR else texts.NOT_YOUR_GRID).format(case=case.id)
    if case.kind != "dispute":
        return texts.PAPER_NOT_DISPUTE.format(case=case.id)
    return None


def record_consent(session: Session, *, case: Case, person: Person, party: str, name: str, phone: str,
                   now: datetime) -> None:
    refusal = may_work_papers(session, person, case)
    if refusal:
        raise PaperRefused(refusal)
    if party not in PARTIES or not name.strip():
        raise PaperRefused(texts.CONSENT_NEEDS_NAME)
    papers.record_consent(session, case_id=case.id, party=party, name=name.strip(), phone=phone.strip(),
                          recorded_by=person.id, now=now)
    cases.record_event(session, case=case, now=now, actor_id=person.id, action="consent",
                       detail=texts.CONSENT_EVENT.format(party=texts.PARTY_NAMES[party], name=mask_name(name)))
    cases.touch(session, case=case, now=now)


def both_consented(session: Session, *, case_id: int) -> bool:
    return case_id in papers.consented_cases(session, case_ids=[case_id], parties=PARTIES)


def make_paper(session: Session, *, config: Any, case: Case, person: Person, kind: str, shared: bool,
               now: datetime) -> int:
    """Fill the template, write the DOCX, attach it to the case; returns the document's id."""
    refusal = may_work_papers(session, person, case)
    if refusal:
        raise PaperRefused(refusal)
    if kind not in KINDS:
        raise PaperRefused(texts.PAPER_UNKNOWN)
    if not both_consented(session, case_id=case.id):
        raise PaperRefused(texts.PAPER_NEEDS_CONSENT)
    if kind == "agreement" and not case.outcome:
        raise PaperRefused(texts.PAPER_NEEDS_OUTCOME)
    fields = paper_fields(session, config=config, case=case, now=now, masked=shared)
    lines = template(config, kind).format_map(_Fields(fields)).splitlines()
    suffix = "-共享版" if shared else ""
    filename = f"{case.id}号-{texts.PAPER_NAMES[kind]}{suffix}.docx"
    doc = papers.add_document(session, case_id=case.id, kind=kind, shared=shared, filename=filename,
                              content=docx_bytes(lines), created_by=person.id, now=now)
    cases.record_event(session, case=case, now=now, actor_id=person.id, action="paper", detail=filename)
    cases.touch(session, case=case, now=now)
    return doc.id


def template(config: Any, kind: str) -> str:
    custom = Path(config.console.papers_dir) / f"{kind}.txt" if config.console.papers_dir else None
    if custom is not None and custom.is_file():
        return custom.read_text(encoding="utf-8")
    return (TEMPLATES / f"{kind}.txt").read_text(encoding="utf-8")


class _Fields(dict):
    def __missing__(self, key: str) -> str:  # an edited template naming an unknown field keeps the blank
        return "____"


def paper_fields(session: Session, *, config: Any, case: Case, now: datetime, masked: bool) -> dict[str, str]:
    tz = config.tz
    consent = {c.party: c for c in papers.consents(session, case_id=case.id)}
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    community = roster.community_of(session, grid_id=case.grid_id)
    mediator = session.get(Person, case.mediator_id) if case.mediator_id else None
    fields = {"case": str(case.id), "community": community.name if community else config.community.name,
              "type": texts.SUBTYPE_NAMES.get(case.subtype or "other", ""), "grid": grid.name if grid else texts.UNGRIDDED,
              "summary": mask_personal(case.text), "outcome": case.outcome or "",
              "mediator": mediator.name if mediator else texts.NOBODY,
              "date": now.astimezone(tz).strftime("%Y年%m月%d日")}
    for party in PARTIES:
        row = consent.get(party)
        name, phone = (row.name, row.phone) if row else ("", "")
        fields[party] = mask_name(name) if masked else name
        fields[f"{party}_phone"] = (mask_personal(phone) if masked else phone) or texts.PHONE_UNKNOWN
        fields[f"{party}_consented"] = row.consented_at.astimezone(tz).strftime("%Y年%m月%d日 %H:%M") if row else "____"
    return fields


def docx_bytes(lines: list[str]) -> bytes:
    """A plain A4 document: the first line as a centred title, the rest as paragraphs, in 宋体."""
    from docx import Document  # python-docx only when a paper is written: the server does not carry it
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(lines[0] if lines else "")
    run.bold, run.font.size = True, Pt(18)
    for line in lines[1:]:
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
