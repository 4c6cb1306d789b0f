"""Queries of fraud indicators, their sightings and the groups an incident reached. Keyword-only, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, col, func, select

from storage.models import ACTIVE_STATUSES, Case, ChatGroup, FraudIndicator, FraudSighting, IncidentGroup


def live_incident(session: Session, *, keys: Sequence[tuple[str, str]], since: datetime) -> Case | None:
    """The most recent fraud case still being worked on that an indicator among ``keys`` was seen in since
    ``since``: the incident a new report of the same scam joins."""
    if not keys:
        return None
    wanted = [k for k, _ in keys]
    rows = session.exec(select(FraudIndicator).where(col(FraudIndicator.kind).in_(wanted),
                                                     col(FraudIndicator.value).in_([v for _, v in keys]),
                                                     FraudIndicator.last_seen_at >= since,
                                                     col(FraudIndicator.case_id).is_not(None))).all()
    case_ids = {row.case_id for row in rows if (row.kind, row.value) in set(keys)}
    if not case_ids:
        return None
    stmt = (select(Case).where(col(Case.id).in_(case_ids), Case.kind == "fraud",
                               col(Case.status).in_(list(ACTIVE_STATUSES)))
            .order_by(Case.updated_at.desc(), Case.id.desc()).limit(1))
    return session.exec(stmt).first()


def record_sighting(session: Session, *, kind: str, value: str, message_id: int, case_id: int,
                    group_id: int | None, grid_id: str | None, now: datetime, sample: str) -> FraudIndicator:
    """Count one report of an indicator and tie the indicator to the incident (case) it is in now."""
    row = session.exec(select(FraudIndicator).where(FraudIndicator.kind == kind, FraudIndicator.value == value)
                       .with_for_update()).first()
    if row is None:
        row = FraudIndicator(kind=kind, value=value, first_seen_at=now, last_seen_at=now, count=0,
                             sample_text=sample[:300])
    row.count += 1
    row.last_seen_at, row.case_id = now, case_id
    session.add(row)
    session.flush()
    exists = session.exec(select(FraudSighting.id).where(FraudSighting.indicator_id == row.id,
                                                         FraudSighting.message_id == message_id)).first()
    if exists is None:
        session.add(FraudSighting(indicator_id=row.id, message_id=message_id, case_id=case_id, group_id=group_id,
                                  grid_id=grid_id, seen_at=now))
    return row


def incident_group(session: Session, *, case_id: int, group_key: str) -> IncidentGroup | None:
    return session.exec(select(IncidentGroup).where(IncidentGroup.case_id == case_id,
                                                    IncidentGroup.group_key == group_key).with_for_update()).first()


def add_incident_report(session: Session, *, case_id: int, group_key: str, group_id: int | None,
                        grid_id: str | None, now: datetime) -> IncidentGroup:
    """One more report of an incident from a group; a new row (``warned`` False) for a group not seen yet."""
    row = incident_group(session, case_id=case_id, group_key=group_key)
    if row is None:
        row = IncidentGroup(case_id=case_id, group_key=group_key, group_id=group_id, grid_id=grid_id,
                            first_report_at=now, reports=0)
    row.reports += 1
    session.add(row)
    session.flush()
    return row


def incident_groups(session: Session, *, case_id: int) -> Sequence[IncidentGroup]:
    return session.exec(select(IncidentGroup).where(IncidentGroup.case_id == case_id)
                        .order_by(IncidentGroup.id)).all()


def indicators_of_case(session: Session, *, case_id: int) -> Sequence[FraudIndicator]:
    ids = select(FraudSighting.indicator_id).where(FraudSighting.case_id == case_id)
    return session.exec(select(FraudIndicator).where(col(FraudIndicator.id).in_(ids))
                        .order_by(FraudIndicator.id)).all()


def indicators_for_export(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                          grid_id: str | None = None) -> list[tuple[FraudIndicator, list[str], int]]:
    """Every indicator seen in the period (and grid): (indicator, names of the groups it was seen in, reports)."""
    stmt = select(FraudSighting, FraudIndicator).join(FraudIndicator, FraudIndicator.id == FraudSighting.indicator_id)
    if since is not None:
        stmt = stmt.where(FraudSighting.seen_at >= since)
    if until is not None:
        stmt = stmt.where(FraudSighting.seen_at < until)
    if grid_id:
        stmt = stmt.where(FraudSighting.grid_id == grid_id)
    names = {g.id: (g.name or g.chat_id) for g in session.exec(select(ChatGroup)).all()}
    found: dict[int, tuple[FraudIndicator, dict[str, None], int]] = {}
    for sighting, indicator in session.exec(stmt.order_by(FraudSighting.id)).all():
        _, groups, count = found.get(indicator.id, (indicator, {}, 0))
        if sighting.group_id is not None:
            groups[names.get(sighting.group_id, str(sighting.group_id))] = None
        found[indicator.id] = (indicator, groups, count + 1)
    rows = [(ind, list(groups), count) for ind, groups, count in found.values()]
    return sorted(rows, key=lambda r: (r[0].first_seen_at, r[0].id))


def count_indicators(session: Session) -> int:
    return session.exec(select(func.count()).select_from(FraudIndicator)).one()
