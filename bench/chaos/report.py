"""What the chaos run found, from the database and the gateway's record: lost, handled twice, delivered twice,
late."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bench.chaos.gateway import SlowGateway
from bench.chaos.load import Sent
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Case, Message, Outbox

LATE_SECONDS = 30  # one outbox lease: a reply later than this waited for something other than the gateway


@dataclass
class Findings:
    accepted: int = 0
    refused: int = 0  # never stored: the client gave up (should be 0: it retries for 90 s)
    lost_messages: list[str] = field(default_factory=list)  # accepted, never handled
    undelivered: list[str] = field(default_factory=list)  # outbox rows not sent, or marked sent but never arrived
    handled_twice: list[str] = field(default_factory=list)  # residents with two cases from one message
    delivered_twice: list[str] = field(default_factory=list)  # repeats while the first sender lived on
    resent_after_crash: list[str] = field(default_factory=list)  # repeats after a SIGKILL or outage mid-send
    late: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=dict)  # kind group → seconds, created → delivered
    rows: int = 0

    @property
    def lost(self) -> int:
        return len(self.lost_messages) + len(self.undelivered)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.handled_twice or self.delivered_twice or self.refused)


def pending_work(url: str, msg_ids: list[str]) -> int:
    """Messages not yet handled plus outbox rows not yet settled."""
    engine = make_engine(url)
    try:
        with new_session(engine) as s:
            unhandled = s.execute(select(func.count()).select_from(Message).where(
                Message.channel_msg_id.in_(msg_ids), Message.handled_at.is_(None))).scalar()
            unsent = s.execute(select(func.count()).select_from(Outbox).where(Outbox.status == "pending")).scalar()
        return unhandled + unsent
    finally:
        engine.dispose()


def examine(url: str, sent: list[Sent], gateway: SlowGateway, disruptions: list[tuple[float, float]]) -> Findings:
    """``disruptions``: (start, end) of each SIGKILL (a point) and of the outage, in time.time()."""
    found = Findings(accepted=sum(1 for m in sent if m.accepted_at), refused=sum(1 for m in sent if not m.accepted_at))
    engine = make_engine(url)
    try:
        with new_session(engine) as s:
            ids = [m.msg_id for m in sent if m.accepted_at]
            stored = {row.channel_msg_id: row for row in s.execute(select(Message).where(
                Message.channel == "bridge", Message.channel_msg_id.in_(ids))).scalars()}
            found.lost_messages = [i for i in ids if i not in stored or stored[i].handled_at is None]
            reporters = Counter(s.execute(select(Case.reporter_id)).scalars())
            found.handled_twice = [r for r, n in reporters.items() if n > 1 and r]
            rows = list(s.execute(select(Outbox)).scalars())
    finally:
        engine.dispose()
    found.rows = len(rows)
    for row in rows:
        arrival = gateway.delivered.get(row.idempotency_key)
        if row.status != "sent" or arrival is None:
            found.undelivered.append(f"{row.idempotency_key} {row.kind} {row.status} {row.last_error or ''}".strip())
            continue
        waited = (arrival.done or arrival.at) - row.created_at.timestamp()  # until the gateway had delivered it
        found.latency.setdefault("alert" if row.kind == "alert" else "other", []).append(waited)
        if waited > LATE_SECONDS:
            found.late.append(f"{row.idempotency_key} {row.kind} {waited:.0f} s")
    for key, arrivals in gateway.repeats().items():
        first, last = arrivals[0].at, arrivals[-1].at
        explained = any(start <= last and end >= first for start, end in disruptions)
        (found.resent_after_crash if explained else found.delivered_twice).append(key)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def summary(found: Findings) -> list[str]:
    lines = [f"accepted {found.accepted} messages ({found.refused} never stored), {found.rows} outbox rows",
             f"lost {found.lost} · handled twice {len(found.handled_twice)} · delivered twice "
             f"{len(found.delivered_twice)} · late (> {LATE_SECONDS} s) {len(found.late)} "
             f"(alerts {sum(' alert ' in item for item in found.late)})",
             f"re-sent after a SIGKILL or the outage cut a send short: {len(found.resent_after_crash)} "
             "(the gateway's idempotency log answered them; no group saw a message twice)"]
    for kind, values in sorted(found.latency.items()):
        lines.append(f"row created → delivered by the gateway, {kind}: p50 {percentile(values, 0.5):.1f} s, "
                     f"p99 {percentile(values, 0.99):.1f} s, max {max(values):.1f} s")
    for name in ("lost_messages", "undelivered", "handled_twice", "delivered_twice", "late"):
        for item in getattr(found, name)[:10]:
            lines.append(f"  {name}: {item}")
    return lines
