"""Queries of Broadcast and BroadcastDelivery: officers' warnings to many groups. Keyword-only, session first,
never commit."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Sequence

from sqlalchemy import Integer, String, and_, cast, false, func, insert, literal, literal_column
from sqlmodel import Session, select

from storage.followers import for_every_resident
from storage.models import Broadcast, BroadcastDelivery, ChatGroup, DeliveryReceipt, Grid, Outbox, UTCDateTime


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


def queue_copies(session: Session, *, broadcast_id: int, group_ids: Sequence[int] | None, text: str,
                 now: datetime, every_resident: bool = False) -> int:
    """One outbox row per bound group (``group_ids``, or every bound group for None), keyed
    ``broadcast-<id>-<group id>``, and one delivery row linking each group to its row: two INSERT … SELECT
    statements, no Python object per group. ``every_resident``: the copies are for every resident of their
    grids (a broadcast to grids, not to tagged groups), so they may reach the grids' followers of the Official
    Account when a group cannot be reached. Returns how many groups were queued."""
    key = literal(f"broadcast-{broadcast_id}-") + cast(ChatGroup.id, String)
    hint = for_every_resident(f"broadcast-{broadcast_id}") if every_resident else {}
    at = literal(now, UTCDateTime)
    chosen = ChatGroup.grid_id.is_not(None)
    if group_ids is not None:
        chosen = and_(chosen, ChatGroup.id.in_(list(group_ids)))
    table = Outbox.__table__
    rows = select(key, ChatGroup.channel, ChatGroup.chat_id, literal(text, String), false(),
                  literal_column("'[]'"), literal_column(f"'{json.dumps(hint)}'"),
                  literal("broadcast", String),
                  literal("pending", String), literal(0, Integer), at, at).where(chosen)
    columns = ["idempotency_key", "channel", "chat_id", "text", "is_direct", "mentions", "reply_hint", "kind",
               "status", "attempts", "next_attempt_at", "created_at"]
    connection = session.connection()
    connection.execute(insert(table).from_select([table.c[name] for name in columns], rows))
    links = (select(literal(broadcast_id, Integer), ChatGroup.id, Outbox.id, at)
             .join(Outbox, Outbox.idempotency_key == key).where(chosen))
    delivery = BroadcastDelivery.__table__
    connection.execute(insert(delivery).from_select(
        [delivery.c.broadcast_id, delivery.c.group_id, delivery.c.outbox_id, delivery.c.created_at], links))
    return connection.execute(select(func.count()).select_from(delivery)  # rowcount is -1 on psycopg here
                              .where(delivery.c.broadcast_id == broadcast_id)).scalar_one()


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
