"""Queries of MediationConsent and CaseDocument: the parties' consent to mediation and the papers generated
for a case. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import CaseDocument, MediationConsent


def consents(session: Session, *, case_id: int) -> Sequence[MediationConsent]:
    stmt = select(MediationConsent).where(MediationConsent.case_id == case_id).order_by(MediationConsent.party)
    return session.exec(stmt).all()


def record_consent(session: Session, *, case_id: int, party: str, name: str, phone: str, recorded_by: str,
                   now: datetime) -> MediationConsent:
    """Record (or correct) one party's consent."""
    stmt = select(MediationConsent).where(MediationConsent.case_id == case_id, MediationConsent.party == party)
    row = session.exec(stmt).first() or MediationConsent(case_id=case_id, party=party, name=name,
                                                         recorded_by=recorded_by, consented_at=now)
    row.name, row.phone, row.recorded_by, row.consented_at = name, phone, recorded_by, now
    session.add(row)
    return row


def consented_cases(session: Session, *, case_ids: Sequence[int], parties: Sequence[str]) -> set[int]:
    """The cases among ``case_ids`` for which every one of ``parties`` has consented."""
    if not case_ids:
        return set()
    stmt = (select(MediationConsent.case_id).where(col(MediationConsent.case_id).in_(list(case_ids)),
                                                   col(MediationConsent.party).in_(list(parties)))
            .group_by(MediationConsent.case_id).having(func.count(func.distinct(MediationConsent.party)) == len(parties)))
    return set(session.exec(stmt).all())


def add_document(session: Session, *, case_id: int, kind: str, shared: bool, filename: str, content: bytes,
                 created_by: str, now: datetime) -> CaseDocument:
    row = CaseDocument(case_id=case_id, kind=kind, shared=shared, filename=filename, content=content,
                       created_by=created_by, created_at=now)
    session.add(row)
    session.flush()
    return row


def documents_of(session: Session, *, case_id: int) -> list[tuple[int, str, bool, str, datetime]]:
    """(id, kind, shared, filename, created_at) of a case's papers, without their content."""
    stmt = (select(CaseDocument.id, CaseDocument.kind, CaseDocument.shared, CaseDocument.filename,
                   CaseDocument.created_at).where(CaseDocument.case_id == case_id).order_by(CaseDocument.id))
    return [tuple(row) for row in session.exec(stmt).all()]


def document(session: Session, *, document_id: int) -> CaseDocument | None:
    return session.get(CaseDocument, document_id)


def document_names(session: Session, *, case_ids: Sequence[int]) -> dict[int, list[str]]:
    """{case id: its papers' file names}, for the ledger."""
    if not case_ids:
        return {}
    stmt = (select(CaseDocument.case_id, CaseDocument.filename)
            .where(col(CaseDocument.case_id).in_(list(case_ids))).order_by(CaseDocument.id))
    found: dict[int, list[str]] = {}
    for case_id, name in session.exec(stmt).all():
        found.setdefault(case_id, []).append(name)
    return found
