"""An inquiry (业务咨询): answer from the FAQ when sure (several answers in one reply when the question asks
about several things), ask once which topic was meant when two are close, else open an inquiry case for the
grid officer. A clarifying question waits in the database for the resident's number (a conversation)."""
from __future__ import annotations

import re
from datetime import timedelta

from handlers import texts
from handlers.cases.assignment import grid_officer, station_for
from handlers.cases.intake import officer_name, open_from_message
from handlers.cases.view import case_card, case_no
from handlers.context import Context
from handlers.faq import ANSWER, CLARIFY, Finding, answer, library_of
from handlers.faq.kb import Topic
from handlers.router import Router
from storage import faq as store
from storage.models import Role

router = Router("inquiry")
CLARIFY_MINUTES = 10  # how long a clarifying question waits for the resident's number
_CHOICE = re.compile(r"^\s*(?:第)?([1-9１-９一二三])(?:个|项|条|号)?\s*[。.!！]?\s*$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3}


@router.intent("inquiry")
def on_inquiry(ctx: Context) -> None:
    """A sure inquiry goes through the FAQ; an unsure one is answered only when it is a question the FAQ is
    sure of, else it waits privately for the officer; a bare greeting or a line about the bot is left alone."""
    if ctx.decision.action == "silent":
        return
    finding = library_of(ctx).find(ctx.session, ctx.message.text)
    if not ctx.may_speak:
        if finding.action == ANSWER and "question" in ctx.label.signals:
            reply_answer(ctx, finding.topics)
        else:
            open_inquiry_case(ctx, public=False)
        return
    decide(ctx, finding)


def decide(ctx: Context, finding: Finding) -> None:
    """Act on the FAQ's finding: answer, clarify, or open the case (the one place to gate public replies)."""
    store.supersede_clarifications(ctx.session, person_id=ctx.sender.id, channel=ctx.message.channel,
                                   chat_id=ctx.message.chat_id)
    if finding.action == ANSWER:
        reply_answer(ctx, finding.topics)
    elif finding.action == CLARIFY:
        ask_which(ctx, finding.topics)
    else:
        open_inquiry_case(ctx)


def reply_answer(ctx: Context, topics: tuple[Topic, ...] | list[Topic]) -> None:
    officer = grid_officer(ctx, ctx.grid)
    station = station_for(ctx.session, grid_id=ctx.grid.id if ctx.grid else None, config=ctx.config)
    text = answer.compose(topics, station, officer_name(officer))
    ctx.reply(text, mention=[ctx.sender])


def ask_which(ctx: Context, topics: tuple[Topic, ...]) -> None:
    store.add_clarification(ctx.session, person_id=ctx.sender.id, channel=ctx.message.channel,
                            chat_id=ctx.message.chat_id, options=[t.key for t in topics],
                            question=ctx.message.text[:500], message_id=ctx.message.id, asked_at=ctx.now,
                            expires_at=ctx.now + timedelta(minutes=CLARIFY_MINUTES))
    ctx.reply(answer.options_text(topics), mention=[ctx.sender])


def open_inquiry_case(ctx: Context, text: str | None = None, *, public: bool = True) -> None:
    """An inquiry case for the grid officer; ``public=False``: the resident is not told in the group (the bot
    was not sure it was a question for the police) and the card says so."""
    officer = grid_officer(ctx, ctx.grid)
    case = open_from_message(ctx, "inquiry", text=text, assignee_id=officer.id if officer else None)
    card = case_card(ctx, case, reader=officer)
    if public:
        ctx.reply(texts.INQUIRY_ACK.format(case=case_no(case), officer=officer_name(officer)),
                  mention=[ctx.sender], case_id=case.id)
    else:
        card = texts.UNSURE_NOTE + "\n" + card
    ctx.tell(officer, card, case_id=case.id)


def parse_choice(text: str) -> int | None:
    """'2', '２', '第二个', '1。' → the number; anything else → None."""
    found = _CHOICE.match(text)
    if not found:
        return None
    digit = found.group(1)
    return _CHINESE_DIGITS.get(digit) or int(digit.translate(str.maketrans("１２３４５６７８９", "123456789")))


@router.conversation("faq_choice")
def on_choice(ctx: Context) -> bool:
    """A resident's number after a clarifying question in the same chat: answer that topic."""
    choice = parse_choice(ctx.message.text)
    if choice is None or ctx.sender.role != Role.RESIDENT:
        return False
    pending = store.open_clarification(ctx.session, person_id=ctx.sender.id, channel=ctx.message.channel,
                                       chat_id=ctx.message.chat_id, now=ctx.now)
    if pending is None:
        return False
    if choice > len(pending.options):
        ctx.reply(texts.FAQ_CHOICE_RANGE.format(n=len(pending.options)), mention=[ctx.sender])
        return True
    pending.state, pending.answered_at = "answered", ctx.now
    ctx.session.add(pending)
    topic = library_of(ctx).topic(ctx.session, pending.options[choice - 1])
    if topic is None:  # removed by an officer meanwhile: the officer answers instead
        open_inquiry_case(ctx, text=pending.question or None)
    else:
        reply_answer(ctx, [topic])
    return True
