"""A message with nothing to read as words — a location pin, a voice note without the platform's recognition, a
photo in which no words were found, a video, a file — joins the sender's open case as evidence, or reaches
the officer when it needs a person (an unreadable image, a vulnerable resident's voice note), or is only kept.

Messages that do carry words (a voice note's recognition, the words read from a screenshot, a link, a merged
chat record) are not handled here: they go through the same understanding as typed text (handlers/dispatch).

Public replies made here: one, ``_ack_location`` (the resident hears that their pin reached the officer).
"""
from __future__ import annotations

from datetime import timedelta

from handlers import texts
from handlers.cases.assignment import duty_officer, grid_officer
from handlers.cases.intake import officer_name
from handlers.cases.view import type_name
from handlers.context import Context
from handlers.media.rows import location_line, media_line
from handlers.roles import STAFF
from storage import cases, media
from storage.models import Case

UNDERSTOOD_AS_TEXT = ("link", "record")
LOCATION_CASE_KINDS = ("help", "dispute")
EVIDENCE_CASE_KINDS = ("help", "dispute", "fraud", "inquiry")


def on_attachment(ctx: Context) -> bool:
    """Handle a message that has no words to understand; False when it has (the intents take it)."""
    msg = ctx.message
    if msg.kind == "text" or msg.kind in UNDERSTOOD_AS_TEXT or (msg.kind != "location" and msg.text.strip()):
        return False
    if (ctx.group is not None and ctx.group.grid_id is None) or ctx.sender.role in STAFF:
        return True  # an unbound group, or staff sharing a photo: nothing to do
    if msg.kind == "location":
        _on_location(ctx)
    elif msg.kind == "voice":
        _on_voice(ctx)
    elif msg.kind == "image":
        _on_image(ctx)
    elif msg.kind in ("video", "file"):
        target = _open_case(ctx, EVIDENCE_CASE_KINDS)
        if target is not None:
            _add_evidence(ctx, target, texts.EVIDENCE_ALERT)
    return True


def _window(ctx: Context) -> timedelta:
    return timedelta(minutes=ctx.config.timers.link_window_minutes)


def _open_case(ctx: Context, kinds: tuple[str, ...]) -> Case | None:
    found = media.recent_active_cases(ctx.session, reporter_id=ctx.sender.id, kinds=kinds,
                                      since=ctx.now - _window(ctx))
    return found[0] if found else None


def _location(ctx: Context) -> dict | None:
    details = ctx.message.details or {}
    return details.get("location") if isinstance(details.get("location"), dict) else None


def _on_location(ctx: Context) -> None:
    """A pin joins the sender's open call for help or dispute; without one it is kept for a call that follows."""
    spot = _location(ctx)
    target = _open_case(ctx, LOCATION_CASE_KINDS)
    if spot is None or target is None:
        return
    ctx.message.case_id = target.id
    cases.record_event(ctx.session, case=target, now=ctx.now, actor_id=ctx.sender.id, action="location",
                       detail=texts.EVENT_LOCATION.format(label=spot.get("label") or texts.LOCATION_NO_LABEL,
                                                          lat=spot["lat"], lng=spot["lng"]))
    cases.touch(ctx.session, case=target, now=ctx.now)
    officer = ctx.person(target.assignee_id) or grid_officer(ctx, ctx.grid)
    alert = texts.LOCATION_ALERT.format(case=target.id, type=type_name(target), reporter=ctx.sender.name,
                                        line=location_line(spot))
    ctx.tell(officer, alert, case_id=target.id)
    duty = duty_officer(ctx)
    if target.kind == "help" and duty is not None and duty is not officer:
        ctx.tell(duty, alert, case_id=target.id)
    _ack_location(ctx, target, officer)


def _ack_location(ctx: Context, case: Case, officer) -> None:  # noqa: ANN001
    """The one public reply of this module: the resident who shared a pin hears that it reached the officer."""
    ctx.reply(texts.LOCATION_ACK.format(officer=officer_name(officer)), mention=[ctx.sender], case_id=case.id)


def _on_voice(ctx: Context) -> None:
    """A voice note with no recognition: the officer of the sender's open case, or of a vulnerable resident,
    is told it needs listening; anyone else's is only kept."""
    target = _open_case(ctx, EVIDENCE_CASE_KINDS)
    if target is not None:
        _add_evidence(ctx, target, texts.VOICE_IN_CASE)
    elif ctx.sender.vulnerable:
        officer = grid_officer(ctx, ctx.grid)
        ctx.tell(officer, texts.VOICE_FROM_VULNERABLE.format(reporter=ctx.sender.name, group=_where(ctx),
                                                              line=_media_lines(ctx)))


def _on_image(ctx: Context) -> None:
    """A photo with no words: evidence for the sender's open case; when it could not be read at all (no OCR
    installed, not fetched, broken), the officer is asked to look at it."""
    rows = media.media_of_message(ctx.session, message_id=ctx.message.id)
    unread = [r for r in rows if r.kind == "image" and (r.state == "failed" or r.reading in ("unavailable", "failed"))]
    target = _open_case(ctx, EVIDENCE_CASE_KINDS)
    if target is not None:
        _add_evidence(ctx, target, texts.EVIDENCE_ALERT)
        return
    if unread:
        reason = "fetch" if unread[0].state == "failed" else unread[0].reading
        ctx.tell(grid_officer(ctx, ctx.grid), texts.IMAGE_NEEDS_LOOK.format(
            reporter=ctx.sender.name, group=_where(ctx), reason=texts.IMAGE_REASONS[reason], link=_media_lines(ctx)))


def _add_evidence(ctx: Context, case: Case, template: str) -> None:
    ctx.message.case_id = case.id
    media.attach_to_case(ctx.session, message_id=ctx.message.id, case_id=case.id)
    what = texts.MESSAGE_KIND_NAMES.get(ctx.message.kind, texts.MESSAGE_KIND_NAMES["other"])
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="evidence", detail=what)
    cases.touch(ctx.session, case=case, now=ctx.now)
    line = _media_lines(ctx)
    officer = ctx.person(case.assignee_id) or grid_officer(ctx, ctx.grid)
    ctx.tell(officer, template.format(case=case.id, reporter=ctx.sender.name, what=what, line=line), case_id=case.id)
    mediator = ctx.person(case.mediator_id)
    if mediator is not None and mediator is not officer:
        ctx.tell(mediator, template.format(case=case.id, reporter=ctx.sender.name, what=what, line=line),
                 case_id=case.id)


def _media_lines(ctx: Context) -> str:
    rows = media.media_of_message(ctx.session, message_id=ctx.message.id)
    return "\n".join(media_line(ctx.config, row, ctx.now) for row in rows)


def _where(ctx: Context) -> str:
    return (ctx.group.name or ctx.group.chat_id) if ctx.group else texts.DIRECT_CHAT_NAME


def recent_location(ctx: Context) -> dict | None:
    """The location pin the sender shared within the link window before this message (a call for help)."""
    found = media.recent_of_sender(ctx.session, channel=ctx.message.channel, sender_id=ctx.message.sender_id,
                                   since=ctx.now - _window(ctx), kinds=("location",))
    for message in found:
        spot = (message.details or {}).get("location")
        if message.id != ctx.message.id and isinstance(spot, dict):
            return spot
    return None
