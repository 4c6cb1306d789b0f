"""Broadcasts: a warning drafted for many groups (by grid, by tag, or all), previewed, confirmed once into one
outbox row per group, and followed per group (queued / sent / failed with the reason), failed ones retried.
Used by /broadcast and /confirm and by the console's composer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from handlers import texts
from storage import broadcasts, followers, outbox
from storage import groups as store_groups
from storage.models import AuditEntry, Broadcast, ChatGroup, Grid, Person, Role

TAG = store_groups.TAG
DRAFT_MINUTES = 30  # a draft not confirmed by then expires: the preview its drafter saw may no longer hold
REPORT_AFTER = timedelta(minutes=15)  # copies still queued by then are reported as queued, not waited for
NAMES_SHOWN = 20  # group names listed per line of a report


class BroadcastRefused(Exception):
    """A draft or a confirmation that cannot be made: one Chinese sentence."""


def parse_targets(raw: str) -> list[str]:
    """'grid-1,grid-2' / 'all' / '全部' / 'tag:商铺' → the stored target list."""
    targets = [t.strip() for t in raw.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    return ["all"] if any(t.lower() in texts.BROADCAST_ALL for t in targets) else targets


def unknown_targets(session: Session, targets: list[str]) -> list[str]:
    tags = set(store_groups.group_tags(session))
    return [t for t in targets if t != "all" and not (t[len(TAG):] in tags if t.startswith(TAG)
                                                         else session.get(Grid, t) is not None)]


def target_names(session: Session, targets: list[str]) -> str:
    if targets == ["all"]:
        return texts.ALL_GRIDS_NAME
    names = []
    for t in targets:
        grid = None if t.startswith(TAG) else session.get(Grid, t)
        names.append(texts.BROADCAST_TAG_NAME.format(tag=t[len(TAG):]) if t.startswith(TAG) else grid.name if grid else t)
    return "、".join(names)


def draft(session: Session, *, actor_id: str, targets: list[str], text: str, now: datetime) -> tuple[Broadcast, list[ChatGroup]]:
    if not text.strip() or not targets:
        raise BroadcastRefused(texts.BAD_USAGE.format(usage=texts.BROADCAST_USAGE))
    groups = store_groups.groups_of_targets(session, targets=targets)
    if not groups:
        raise BroadcastRefused(texts.BROADCAST_NO_GROUPS)
    return broadcasts.add_draft(session, actor_id=actor_id, targets=targets, text=text.strip(), now=now), groups


def confirm(session: Session, *, broadcast_id: int, actor_id: str, now: datetime) -> tuple[Broadcast, int]:
    """Queue one outbox row per target group, once, with its delivery row: two INSERT … SELECT statements in the
    caller's transaction (storage/broadcasts.queue_copies); returns (the broadcast, groups queued). A second
    /confirm finds it sent and is refused."""
    found = broadcasts.get_for_update(session, broadcast_id=broadcast_id)
    if found is None:
        raise BroadcastRefused(texts.UNKNOWN_BROADCAST.format(id=broadcast_id))
    if found.status == "sent":
        raise BroadcastRefused(texts.BROADCAST_ALREADY_SENT.format(id=found.id))
    refuse_confirmation(session, draft=found, actor_id=actor_id, now=now)
    group_ids = None if found.targets == ["all"] else [
        gid for gid, _, _ in store_groups.target_chats(session, targets=found.targets)]
    every_resident = not any(t.startswith(store_groups.TAG) for t in found.targets)  # not a chosen audience (商铺)
    count = broadcasts.queue_copies(session, broadcast_id=found.id, group_ids=group_ids, now=now,
                                    text=texts.BROADCAST_TEXT.format(text=found.text),
                                    every_resident=every_resident) if group_ids != [] else 0
    if not count:  # the target's groups were unbound since the preview
        raise BroadcastRefused(texts.BROADCAST_NO_GROUPS)
    broadcasts.mark_sent(session, draft=found, confirmed_by=actor_id, now=now)
    session.add(AuditEntry(at=now, actor_id=actor_id, action="broadcast",
                           detail=f"{found.id} → {','.join(found.targets)} ({count} groups)"))
    return found, count


def refuse_confirmation(session: Session, *, draft: Broadcast, actor_id: str, now: datetime) -> None:
    """Only the drafter or an admin confirms a draft, and only within ``DRAFT_MINUTES`` of drafting it."""
    actor = session.get(Person, actor_id)
    if actor_id != draft.actor_id and (actor is None or actor.role != Role.ADMIN):
        drafter = session.get(Person, draft.actor_id)
        raise BroadcastRefused(texts.BROADCAST_NOT_YOUR_DRAFT.format(
            id=draft.id, drafter=drafter.name if drafter else draft.actor_id))
    if now - draft.created_at > timedelta(minutes=DRAFT_MINUTES):
        raise BroadcastRefused(texts.BROADCAST_DRAFT_EXPIRED.format(id=draft.id, minutes=DRAFT_MINUTES))


@dataclass(frozen=True)
class Delivery:
    id: int
    group: str
    grid: str
    status: str  # pending, sent, failed
    state: str  # its Chinese name
    error: str  # why not (yet), in Chinese; empty once sent
    attempts: int
    sent_at: datetime | None
    via: str = ""  # the channel that delivered it, in Chinese (its receipt)


def deliveries(session: Session, *, broadcast_id: int) -> list[Delivery]:
    found = []
    for did, name, chat_id, grid, status, attempts, sent_at, last_error, via, reason in broadcasts.delivery_rows(
            session, broadcast_id=broadcast_id):
        status = status or "pending"
        found.append(Delivery(did, name or chat_id, grid or "", status, texts.DELIVERY_NAMES[status],
                              "" if status == "sent" else why_not(reason or "", last_error), attempts or 0, sent_at,
                              texts.RECEIPT_CHANNELS.get(via, via) if via and status == "sent" else ""))
    return found


def why_not(reason: str, last_error: str | None) -> str:
    """The receipt's reason in Chinese; a copy without one that has failed before reads as a send error."""
    if reason:
        return texts.RECEIPT_REASONS.get(reason, texts.RECEIPT_REASONS["unsure"])
    return texts.RECEIPT_REASONS["unsure"] if last_error else ""


def retry_failed(session: Session, *, broadcast_id: int, actor_id: str, now: datetime) -> int:
    """Queue the failed copies of a broadcast again; returns how many."""
    rows = broadcasts.deliveries_of(session, broadcast_id=broadcast_id)
    failed = [r for r in outbox.rows_by_id(session, ids=[d.outbox_id for d in rows if d.outbox_id]).values()
              if r.status == "failed"]
    for row in failed:
        outbox.retry_failed(session, row=row, now=now)
    if failed:
        session.add(AuditEntry(at=now, actor_id=actor_id, action="broadcast_retry",
                               detail=f"{broadcast_id}: {len(failed)} groups"))
    return len(failed)


def report(session: Session, *, broadcast: Broadcast) -> str:
    """What a broadcast reached: how many groups were sent, queued and failed; by which channels it was delivered;
    the failed and queued groups by name, grouped by the reason (in Chinese)."""
    found = deliveries(session, broadcast_id=broadcast.id)
    count = {status: sum(d.status == status for d in found) for status in ("sent", "pending", "failed")}
    lines = [texts.BROADCAST_REPORT.format(id=broadcast.id, sent=count["sent"], total=len(found)),
             texts.BROADCAST_SUMMARY.format(total=len(found), sent=count["sent"], pending=count["pending"],
                                            failed=count["failed"])]
    by_channel: dict[str, int] = {}
    for d in found:
        if d.via:
            by_channel[d.via] = by_channel.get(d.via, 0) + 1
    if by_channel:
        lines.append(texts.BROADCAST_REPORT_VIA.format(
            channels="，".join(f"{via}{n}个" for via, n in sorted(by_channel.items(), key=lambda kv: -kv[1]))))
    followed = followers.copy_counts(session, origin=f"broadcast-{broadcast.id}")
    if followed:  # groups that could not be reached handed it to their grids' followers of the Official Account
        lines.append(texts.BROADCAST_REPORT_FOLLOWERS.format(
            sent=followed.get("sent", 0), pending=followed.get("pending", 0), failed=followed.get("failed", 0)))
    for status, template in (("failed", texts.BROADCAST_REPORT_FAILED), ("pending", texts.BROADCAST_REPORT_PENDING)):
        by_reason: dict[str, list[str]] = {}
        for d in found:
            if d.status == status:
                by_reason.setdefault(d.error, []).append(d.group)
        for reason, names in by_reason.items():
            shown = "、".join(names[:NAMES_SHOWN]) + ("等" if len(names) > NAMES_SHOWN else "")
            lines.append(template.format(n=len(names), groups=shown) + (f"（{reason}）" if reason else ""))
    return "\n".join(lines)


def settled(session: Session, *, broadcast: Broadcast, now: datetime) -> bool:
    """Whether a confirmed broadcast can be reported: every copy sent or failed, or REPORT_AFTER has passed."""
    if broadcast.confirmed_at is not None and now - broadcast.confirmed_at >= REPORT_AFTER:
        return True
    return all(d.status != "pending" for d in deliveries(session, broadcast_id=broadcast.id))
