"""Queries of Broadcast and BroadcastDelivery: officers' warnings to many groups. Keyword-only, session first,
never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import insert
from sqlmodel import Session, select

from storage.models import Broadcast, BroadcastDelivery, ChatGroup, DeliveryReceipt, Grid, Outbox


def add_draft(session: Session, *, actor_id: str, targets: list[str], text: str, now: datetime) -> Broadcast:
    draft = Broadcast(actor_id=actor_id, targets=targets, text=text, created_at=now)
    session.add(draft)
    session.flush()
    return draft


def get_for_update(session: Session, *, broadcast_id: int) -> Broadcast | None:
    """The draft, locked against a second /confirm running at the same time."""
    return session.exec(select(Broadcast).where(Broadcast.id == broadcast_id).with_for_update()).first()


def add_delivery(session: Session, *, broadcast_id: int, group_id: int, outbox_id: int, now: datetime) -> None:
    session.add(BroadcastDelivery(broadcast_id=broadcast_id, group_id=group_id, outbox_id=outbox_id, created_at=now))


def add_deliveries(session: Session, *, broadcast_id: int, copies: Sequence[tuple[int, int]], now: datetime) -> None:
    """One delivery per (group id, outbox id), in one Core bulk INSERT."""
    if copies:
        session.connection().execute(insert(BroadcastDelivery.__table__), [
            {"broadcast_id": broadcast_id, "group_id": group_id, "outbox_id": outbox_id, "created_at": now}
            for group_id, outbox_id in copies])


def deliveries_of(session: Session, *, broadcast_id: int) -> Sequence[BroadcastDelivery]:
    stmt = select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id)
    return session.exec(stmt.order_by(BroadcastDelivery.id)).all()


def delivery_rows(session: Session, *, broadcast_id: int) -> list[tuple]:
    """Every copy of a broadcast in one query: (delivery id, group name, chat id, grid name, outbox status,
    attempts, sent at, last error, receipt channel, receipt reason), by delivery id."""
    stmt = (select(BroadcastDelivery.id, ChatGroup.name, ChatGroup.chat_id, Grid.name, Outbox.status,
                   Outbox.attempts, Outbox.sent_at, Outbox.last_error, DeliveryReceipt.channel, DeliveryReceipt.reason)
            .join(ChatGroup, ChatGroup.id == BroadcastDelivery.group_id)
            .outerjoin(Grid, Grid.id == ChatGroup.grid_id)
            .outerjoin(Outbox, Outbox.id == BroadcastDelivery.outbox_id)
            .outerjoin(DeliveryReceipt, DeliveryReceipt.outbox_id == BroadcastDelivery.outbox_id)
            .where(BroadcastDelivery.broadcast_id == broadcast_id).order_by(BroadcastDelivery.id))
    return list(session.exec(stmt).all())


def recent(session: Session, *, limit: int = 30) -> Sequence[Broadcast]:
    return session.exec(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)).all()


def mark_sent(session: Session, *, draft: Broadcast, confirmed_by: str, now: datetime) -> None:
    draft.status, draft.confirmed_by, draft.confirmed_at = "sent", confirmed_by, now
    session.add(draft)


def unreported(session: Session) -> Sequence[Broadcast]:
    """Confirmed broadcasts whose drafter has not been told the result yet."""
    stmt = select(Broadcast).where(Broadcast.status == "sent", Broadcast.reported_at.is_(None))
    return session.exec(stmt.order_by(Broadcast.id)).all()
