"""One matter, one case: a resident's follow-up joins their open case; several residents reporting one
incident (same subtype, same building, within ``timers.link_window_minutes``) get linked cases."""
from __future__ import annotations

import re
from datetime import timedelta

from handlers import texts
from handlers.cases.intake import attach_media, officer_name
from handlers.cases.view import type_name
from handlers.context import Context
from handlers.privacy import for_reader
from storage import cases
from storage.models import Case, Person

SHORT = 20  # characters: a message this short is a follow-up, not a new story
# A number starts where a run of digits starts (the look-behind) and has at most 6 of them: one pass over the text.
_BUILDING = re.compile(r"(?<![\d零〇一二两三四五六七八九十])([\d零〇一二两三四五六七八九十]{1,6})(?:号楼|栋|幢|座)")
_DASHED = re.compile(r"^(\d{1,2})-\d{1,2}-\d{3,4}$")


def building_of(rooms: tuple[str, ...] | list[str]) -> str | None:
    """'8栋2单元301' → '8栋'; '8-2-301' → '8栋'; None when no building is named."""
    for room in rooms:
        match = _BUILDING.search(room) or _DASHED.match(room)
        if match:
            return f"{match.group(1)}栋"
    return None


def _window(ctx: Context) -> timedelta:
    return timedelta(minutes=ctx.config.timers.link_window_minutes)


def follow_up_target(ctx: Context) -> Case | None:
    """The dispute this message follows up: the sender's own open one, or — for a short "还是很吵" with
    no new details — the group's recent case of that kind (the sender's resolved one, or a neighbour's). Any other
    intent follows up nothing but a short chatter with a follow-up cue: the rest is answered without a query."""
    if ctx.label.intent != "dispute" and not _chatter_follow_up(ctx):
        return None
    open_cases = cases.active_cases_of_reporter(ctx.session, reporter_id=ctx.sender.id, kind="dispute",
                                                group_id=ctx.group.id if ctx.group else None)
    if not open_cases:
        return _recent_case_followed_up(ctx)
    label, text = ctx.label, ctx.message.text.strip()
    recent = [c for c in open_cases if ctx.now - c.updated_at <= _window(ctx)]
    if label.intent == "dispute":
        same = [c for c in open_cases if c.subtype == (label.subtype or "other")]
        if same:
            return same[0]
        return recent[0] if recent and len(text) <= SHORT else None
    if _chatter_follow_up(ctx):
        return open_cases[0]
    return None


def _chatter_follow_up(ctx: Context) -> bool:
    """A short chatter with a follow-up cue (“还是很吵”): the sender's open dispute, if any, is what it follows up."""
    text = ctx.message.text.strip()
    return ctx.label.intent == "chatter" and len(text) <= SHORT and any(cue in text for cue in texts.FOLLOW_UP_CUES)


def _recent_case_followed_up(ctx: Context) -> Case | None:
    label, text = ctx.label, ctx.message.text.strip()
    if ctx.group is None or label.intent != "dispute" or len(text) > SHORT or label.entities.rooms:
        return None
    if not any(cue in text for cue in texts.FOLLOW_UP_CUES):
        return None
    found = cases.recent_cases_in_group(ctx.session, group_id=ctx.group.id, subtype=label.subtype or "other",
                                        since=ctx.now - _window(ctx), statuses=(*cases.ACTIVE, "resolved"))
    mine_or_active = [c for c in found if c.reporter_id == ctx.sender.id or c.status != "resolved"]
    return mine_or_active[0] if mine_or_active else None


def record_follow_up(ctx: Context, case: Case) -> None:
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="follow_up",
                       detail=ctx.message.text)
    cases.touch(ctx.session, case=case, now=ctx.now)
    ctx.message.case_id = case.id
    attach_media(ctx, case)


def same_incident(ctx: Context, *, subtype: str, building: str | None) -> Case | None:
    """The first open case of another resident about the same incident, if one was opened recently."""
    if building is None:
        return None
    grid = ctx.grid
    found = cases.recent_cases_in_building(ctx.session, grid_id=grid.id if grid else None, subtype=subtype,
                                           building=building, since=ctx.now - _window(ctx))
    others = [c for c in found if c.reporter_id != ctx.sender.id]
    if not others:
        return None
    first = others[0]
    return cases.get_case(ctx.session, case_id=first.linked_to, for_update=True) if first.linked_to else first


def join_follow_up(ctx: Context, case: Case) -> None:
    """Record the message on the case it follows up, tell the resident and the people on the case."""
    record_follow_up(ctx, case)
    officer = ctx.person(case.assignee_id)
    ctx.reply(texts.FOLLOW_UP_ACK.format(case=case.id, officer=officer_name(officer)), mention=[ctx.sender],
              case_id=case.id)
    def alert(reader: Person | None) -> str:
        return texts.FOLLOW_UP_ALERT.format(case=case.id, reporter=ctx.sender.name,
                                            text=for_reader(ctx.message.text, reader))
    ctx.tell(officer, alert(officer), case_id=case.id)
    mediator = ctx.person(case.mediator_id)
    if mediator and mediator is not officer:
        ctx.tell(mediator, alert(mediator), case_id=case.id)


def link_same_incident(ctx: Context, case: Case, primary: Case, officer: Person | None, *,
                       public: bool = True) -> None:
    """A neighbour's report of an incident already reported: link both ways, tell the officer and (``public``)
    the resident."""
    for one, other in ((case, primary), (primary, case)):
        cases.record_event(ctx.session, case=one, now=ctx.now, actor_id="gridbot", action="linked",
                           detail=texts.EVENT_LINKED.format(case=other.id))
    if public:
        ctx.reply(texts.LINKED_ACK.format(primary=primary.id, case=case.id, officer=officer_name(officer)),
                  mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, texts.LINKED_ALERT.format(case=case.id, primary=primary.id, reporter=ctx.sender.name,
                                                building=case.building, type=type_name(case),
                                                text=for_reader(ctx.message.text, officer)), case_id=case.id)
