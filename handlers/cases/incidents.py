"""One scam, many groups: a fraud report that shares an indicator (a phone number, a domain, a QR payload, an
app, an account) with an incident seen within ``timers.fraud_incident_hours`` joins that incident — one case
with every report linked — instead of opening a case of its own. Each group it reaches is warned once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers import texts
from handlers.cases.intake import attach_media
from handlers.context import Context
from handlers.media.indicators import Indicator, extract
from handlers.privacy import mask_personal
from storage import cases, indicators, media
from storage.models import Case, IncidentGroup

SAMPLE = 120  # characters of a report shown in events and alerts


@dataclass(frozen=True)
class Joined:
    case: Case
    row: IncidentGroup  # this group's (or direct chat's) share of the incident
    groups: list[IncidentGroup]

    @property
    def first_in_group(self) -> bool:
        return not self.row.warned

    @property
    def reports(self) -> int:
        return sum(g.reports for g in self.groups)


def indicators_of(ctx: Context) -> list[Indicator]:
    """The message's indicators: from its words (typed or read) and the QR codes in its images."""
    qr = [p for row in media.media_of_message(ctx.session, message_id=ctx.message.id) for p in row.qr_payloads or []]
    return extract(ctx.message.text, qr=qr)


def find(ctx: Context, found: list[Indicator]) -> Case | None:
    since = ctx.now - timedelta(hours=ctx.config.timers.fraud_incident_hours)
    return indicators.live_incident(ctx.session, keys=[(i.kind, i.value) for i in found], since=since)


def _group_key(ctx: Context) -> str:
    return f"group:{ctx.group.id}" if ctx.group else f"direct:{ctx.sender.id}"


def record(ctx: Context, case: Case, found: list[Indicator], *, warned: bool) -> IncidentGroup:
    """Count the message's indicators and its group towards the incident ``case``."""
    sample = mask_personal(ctx.message.text)[:300]
    grid = ctx.grid
    for item in found:
        indicators.record_sighting(ctx.session, kind=item.kind, value=item.value, message_id=ctx.message.id,
                                   case_id=case.id, group_id=ctx.group.id if ctx.group else None,
                                   grid_id=grid.id if grid else None, now=ctx.now, sample=sample)
    row = indicators.add_incident_report(ctx.session, case_id=case.id, group_key=_group_key(ctx),
                                         group_id=ctx.group.id if ctx.group else None,
                                         grid_id=grid.id if grid else None, now=ctx.now)
    if warned:
        mark_warned(ctx, row)
    return row


def mark_warned(ctx: Context, row: IncidentGroup) -> None:
    row.warned = True
    ctx.session.add(row)


def join(ctx: Context, case: Case, found: list[Indicator]) -> Joined:
    """Link the report to the incident: the message, its media, its indicators and its group."""
    ctx.message.case_id = case.id
    attach_media(ctx, case)
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="fraud_report",
                       detail=texts.INCIDENT_EVENT.format(group=where(ctx), text=sample(ctx)))
    cases.touch(ctx.session, case=case, now=ctx.now)
    row = record(ctx, case, found, warned=False)
    return Joined(case, row, list(indicators.incident_groups(ctx.session, case_id=case.id)))


def where(ctx: Context) -> str:
    return (ctx.group.name or ctx.group.chat_id) if ctx.group else texts.DIRECT_CHAT_NAME


def sample(ctx: Context) -> str:
    return mask_personal(ctx.message.text)[:SAMPLE]


def describe(found: list[Indicator], known: set[tuple[str, str]] | None = None) -> str:
    """'电话“13812345678”、域名“jd-tk.cn”' — the indicators that tie the reports together first."""
    ordered = sorted(found, key=lambda i: (known is not None and (i.kind, i.value) not in known,))
    return "、".join(texts.INDICATOR_ITEM.format(kind=texts.INDICATOR_KIND_NAMES[i.kind], value=i.value)
                    for i in ordered[:3] if i.kind != "qr" or len(ordered) == 1)
