"""Queries of DeliveryReceipt: what became of each copy to a group. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, select

from storage.models import DeliveryReceipt


def note(session: Session, *, outbox_id: int, now: datetime, channel: str = "", reason: str = "",
         doubtful: str | None = None) -> DeliveryReceipt:
    """Record a send's outcome: ``channel`` delivered it now, or ``reason`` says why not; ``doubtful`` (once set,
    kept) names the channel a send ended on without knowing whether it arrived."""
    receipt = session.get(DeliveryReceipt, outbox_id) or DeliveryReceipt(outbox_id=outbox_id, updated_at=now)
    if channel:
        receipt.channel, receipt.delivered_at, receipt.reason = channel, now, ""
    else:
        receipt.reason = reason
    if doubtful and not receipt.doubtful:
        receipt.doubtful = doubtful
    receipt.updated_at = now
    session.add(receipt)
    return receipt


def doubtful_channel(session: Session, *, outbox_id: int) -> str:
    receipt = session.get(DeliveryReceipt, outbox_id)
    return receipt.doubtful if receipt else ""


def receipts_by_outbox(session: Session, *, ids: Sequence[int]) -> dict[int, DeliveryReceipt]:
    if not ids:
        return {}
    found: dict[int, DeliveryReceipt] = {}
    for start in range(0, len(ids), 5000):  # under SQLite's bound-parameter limit
        chunk = list(ids[start:start + 5000])
        found.update({r.outbox_id: r for r in session.exec(select(DeliveryReceipt)
                                                             .where(DeliveryReceipt.outbox_id.in_(chunk))).all()})
    return found
