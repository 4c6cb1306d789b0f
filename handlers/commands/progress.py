"""A resident follows their own case: /progress N (/进度 N), “9号进度”, “我上次反映的问题怎么样了”.

Only the reporter's own cases, never another resident's (an unknown number and someone else's get the same
answer); only public steps (handlers/texts.PUBLIC_STEPS), never notes. In a group: a short status, and the
details in a direct chat where the resident has one; in a direct chat: the details.
"""
from __future__ import annotations

import re

from handlers import texts
from handlers.cases.view import local_time, name_of, type_name
from handlers.context import Context
from handlers.faq.text import simplify
from handlers.ids import parse_id
from handlers.privacy import mask_personal
from handlers.roles import EVERYONE
from handlers.router import Router
from storage import cases
from storage.models import Case, Role

router = Router("progress")
_BOOKKEEPING = frozenset({"acknowledged", "taken", "assigned", "transferred"})
LATEST = 0
MAX_CHARS = 40  # a longer message tells a story (and its “10号” is a date), it does not ask for a status
_PROGRESS = (r"进度|进展|怎么样了|咋样了|如何了|处理(得|的)?(怎么样|咋样|如何|了吗|了没|好了)|有结果|"
             r"结果(呢|怎么样|如何)|办(得|的)?(怎么样|咋样)|有(没有)?消息|有人管|有人处理|落实(了|得)|"
             r"跟进(了|得)|到哪(一步|了)|解决了(吗|没)|怎么还没")
_NUMBERED = re.compile(r"(?<![\d.\-栋楼单元室月])#?(\d{1,7})\s*号(?![楼线码院门栋室床晚早上下中凌那起开到当])"
                       r"\D{0,12}?(" + _PROGRESS + ")")
_BARE = re.compile(r"^(查|查询|查一下|看看)?(一下)?(进度|进展)\s*#?(\d{1,7})\s*号?$")
_MINE = re.compile(r"我(上次|之前|前几天|前天|昨天|上周|上个月|刚才|早上|那天|前段时间)?"
                   r"(反映|报|说|提|投诉|举报|咨询|报告|登记)(过|了)?的")


def parse_query(text: str) -> int | None:
    """The case a resident asks about: its number, ``LATEST`` (0) for “my last report”, None if not asked."""
    norm = simplify(text).replace(" ", "")
    if len(norm) > MAX_CHARS:
        return None
    bare = _BARE.match(norm)
    if bare:
        return int(bare.group(4))
    numbered = _NUMBERED.search(norm)
    if numbered:
        return int(numbered.group(1))
    if _MINE.search(norm) and re.search(_PROGRESS, norm):
        return LATEST
    return None


@router.command("progress", usage="/progress 编号", summary="查询自己反映事项的进度（不写编号：最近一件）",
                roles=EVERYONE)
def on_progress(ctx: Context) -> None:
    arg = ctx.call.args.strip().rstrip("号")
    case_id = parse_id(arg) if arg else LATEST
    if case_id is None:
        ctx.reply(texts.BAD_USAGE.format(usage=texts.PROGRESS_USAGE))
        return
    answer(ctx, case_id)


def on_progress_text(ctx: Context) -> bool:
    """The dispatcher's step for a resident's own words; True when the message was a progress query."""
    if ctx.sender.role != Role.RESIDENT:
        return False
    asked = parse_query(ctx.message.text)
    if asked is None:
        return False
    answer(ctx, asked)
    return True


def answer(ctx: Context, case_id: int) -> None:
    own = list(cases.cases_reported_by(ctx.session, reporter_id=ctx.sender.id))
    case = own[0] if case_id == LATEST and own else next((c for c in own if c.id == case_id), None)
    if case is None and case_id != LATEST:
        found = cases.get_case(ctx.session, case_id=case_id)
        case = found if found is not None and found.reporter_id == ctx.sender.id else None
    if case is None:
        text = texts.PROGRESS_NONE if case_id == LATEST else texts.PROGRESS_NOT_YOURS.format(case=case_id)
        ctx.reply(text, mention=[ctx.sender] if ctx.group else None)
        return
    short, detail = _steps(ctx, case)
    others = [c.id for c in own if c.id != case.id and c.status not in ("resolved", "closed")]
    detail += texts.PROGRESS_OTHERS.format(cases="、".join(f"{i}号" for i in others)) if others else ""
    status = texts.STATUS_NAMES[case.status]
    if ctx.message.is_direct:
        ctx.reply(detail, case_id=case.id)
        return
    short_text = texts.PROGRESS_SHORT.format(case=case.id, status=status, step=short)
    if _reachable_directly(ctx):
        ctx.reply(short_text + texts.PROGRESS_SENT_DIRECT, mention=[ctx.sender], case_id=case.id)
        ctx.tell(ctx.sender, detail, kind="reply", case_id=case.id)
    else:
        ctx.reply(short_text, mention=[ctx.sender], case_id=case.id)


def _steps(ctx: Context, case: Case) -> tuple[str, str]:
    """(the last public step in a few words, the resident's own detailed view)."""
    events = [e for e in cases.case_events(ctx.session, case_id=case.id) if e.action in texts.PUBLIC_STEPS]
    # the newest step; at one moment, what was done (a reply) before the bookkeeping that came with it (受理)
    last = max(events, key=lambda e: (e.at, e.action not in _BOOKKEEPING, e.id)) if events else None
    short, long = texts.PUBLIC_STEPS[last.action if last else "opened"]
    detail = mask_personal(last.detail) if last and last.action in ("replied", "resolved") else ""
    if last and last.action == "closed" and case.outcome:
        detail = "：" + mask_personal(case.outcome)
    step = long.format(actor=name_of(ctx, last.actor_id) if last else "", detail=detail,
                       assignee=name_of(ctx, case.assignee_id))
    text = mask_personal(case.text)
    full = texts.PROGRESS_DETAIL.format(
        case=case.id, type=type_name(case), created=local_time(ctx, case.created_at),
        status=texts.STATUS_NAMES[case.status], officer=name_of(ctx, case.assignee_id),
        when=local_time(ctx, last.at) if last else "", step=step, text=text if len(text) <= 60 else text[:60] + "…")
    return short, full


def _reachable_directly(ctx: Context) -> bool:
    """Whether the resident can get a direct message on their channel (the sandbox always can)."""
    family = ctx.channels.family(ctx.message.channel) if ctx.channels else None
    return family is None or bool(ctx.sender.dm_channel)
