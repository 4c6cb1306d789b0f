"""Flood and loop control before a message is understood: the bot's own words, echoes of them, a text repeated by
its sender, a sender past their limit. Each returns True when it has dealt with the message (silently).

- **Own words and echoes**: a message the channel marks as the bot's own (the bridge's ``self``), or whose text is
  one the bot wrote to that chat in the last ECHO_WINDOW (compared normalised: width, case, punctuation, spaces and
  @-mentions do not count; a pasted part counts too when it is ECHO_MIN_PART characters or more and at least a
  third of that text, so a question that happens to be a phrase of an answer is not one), is never handled: that is
  how a warning pasted back, or another bot repeating ours, would open a case and draw a new reply.
- **Repeats**: the same text (normalised) from the same sender in the same chat within REPEAT_WINDOW joins the first
  message's case and draws no new message, public or private.
- **Senders past their limit**: after SENDER_LIMIT messages in SENDER_WINDOW in one chat, a sender's further
  messages are read but answered only where something new is at stake: one that matches a case they opened in the
  window joins it silently; chatter and questions are recorded and left; a first report of another kind (a call
  for help after a row of chatter) is handled as usual. The grid officer hears of the flood once per window."""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import timedelta
from functools import lru_cache

from handlers import texts
from handlers.cases import linking
from handlers.cases.assignment import grid_officer
from handlers.context import Context
from handlers.nlu.normalize import normalize
from storage import audit, inbox, outbox
from storage.models import AuditEntry, Case, Message

ECHO_WINDOW = timedelta(hours=24)
ECHO_ROWS = 200  # the bot's latest texts to that chat that an echo is compared with
ECHO_MIN_PART = 12  # a pasted part this long (normalised characters) of a bot text is an echo
REPEAT_WINDOW = timedelta(minutes=30)
SENDER_WINDOW = timedelta(minutes=10)
SENDER_LIMIT = 10  # messages of one sender in one chat per SENDER_WINDOW before the rest are only recorded
QUIET_INTENTS = ("chatter", "inquiry")
ABSORB_BATCH = 500  # later waiting messages of the same sender settled together with a repeat or a flood
FLOOD_NOTED = "flood"
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


@lru_cache(maxsize=4096)
def fingerprint(text: str) -> str:
    """The text as compared for echoes and repeats: normalised, only letters, digits and Chinese characters."""
    return _NOT_WORD.sub("", normalize(text))


def is_own_or_echo(ctx: Context) -> bool:
    message = ctx.message
    if message.reply_hint.get("from_self"):
        return _silent(ctx, "own")
    if message.is_direct:
        return False
    said = fingerprint(message.text)
    if len(said) < 2:
        return False
    since = ctx.now - ECHO_WINDOW
    for sent in outbox.recent_texts(ctx.session, channel=message.channel, chat_id=message.chat_id, since=since,
                                    limit=ECHO_ROWS):
        ours = fingerprint(sent)
        if said == ours or (len(said) >= max(ECHO_MIN_PART, len(ours) // 3) and said in ours) or (
                len(ours) >= ECHO_MIN_PART and ours in said):
            return _silent(ctx, "echo")
    return False


def is_repeat(ctx: Context, earlier: list) -> bool:
    said = fingerprint(ctx.message.text)
    if not said:
        return False
    since = ctx.message.received_at - REPEAT_WINDOW
    same = [m for m in earlier if m.received_at >= since and fingerprint(m.text) == said]
    if not same:
        return False
    first = same[-1]
    case_id = ctx.message.case_id = next((m.case_id for m in reversed(same) if m.case_id is not None), None)
    ctx.message.intent = first.intent
    for later in inbox.pending_from_sender(ctx.session, message=ctx.message, limit=ABSORB_BATCH):
        if fingerprint(later.text) == said:  # the same again, already waiting: settled now, in one transaction
            _settle(ctx, later, intent=first.intent, case_id=case_id)
    return True


def is_flood(ctx: Context, earlier: list) -> bool:
    since = ctx.message.received_at - SENDER_WINDOW
    recent = [m for m in earlier if m.received_at >= since]
    if len(recent) < SENDER_LIMIT:
        return False
    _note_flood(ctx, len(recent) + 1)
    kinds = _case_kinds(ctx, recent)
    ctx.label = ctx.classifier.classify(ctx.message.text)
    intent = ctx.message.intent = ctx.label.intent
    ctx.message.label = ctx.label.to_dict()
    if intent not in QUIET_INTENTS and intent not in kinds:
        return False  # something new at stake: handled as usual (within the reply budget)
    if intent in kinds:
        linking.record_follow_up(ctx, ctx.session.get(Case, kinds[intent]))
    _absorb_flood(ctx, [m.received_at for m in reversed(recent)] + [ctx.message.received_at], kinds)
    return True


def _absorb_flood(ctx: Context, times: list, kinds: dict[str, int]) -> None:
    """Settle the sender's later waiting messages that the flood rule would settle the same way, now."""
    for later in inbox.pending_from_sender(ctx.session, message=ctx.message, limit=ABSORB_BATCH):
        if len(times) - bisect_left(times, later.received_at - SENDER_WINDOW) < SENDER_LIMIT:
            break  # the flood is over by then: the rest are handled one by one
        times.append(later.received_at)
        label = ctx.classifier.classify(later.text)
        if label.intent in kinds:
            _settle(ctx, later, intent=label.intent, case_id=kinds[label.intent], label=label.to_dict())
        elif label.intent in QUIET_INTENTS:
            _settle(ctx, later, intent=label.intent, case_id=None, label=label.to_dict())


def _case_kinds(ctx: Context, recent: list) -> dict[str, int]:
    """The kinds of the cases the sender's recent messages opened or joined, each with its newest case."""
    kinds: dict[str, int] = {}
    for case_id in dict.fromkeys(m.case_id for m in recent if m.case_id is not None):
        case = ctx.session.get(Case, case_id)
        if case is not None:
            kinds.setdefault(case.kind, case.id)
    return kinds


def _settle(ctx: Context, message: Message, *, intent: str | None, case_id: int | None, label: dict | None = None) -> None:
    message.intent, message.case_id, message.handled_at = intent, case_id, ctx.now
    if label is not None:
        message.label = label
    ctx.session.add(message)


def sender_history(ctx: Context) -> list:
    """The sender's earlier messages in this chat that the repeat and flood rules look at, newest first (rows of
    id, text, received_at, intent and case_id: storage/inbox.py)."""
    window = max(REPEAT_WINDOW, SENDER_WINDOW)
    return list(inbox.sender_history(ctx.session, message=ctx.message, since=ctx.message.received_at - window,
                                     limit=SENDER_LIMIT * 5))


def _silent(ctx: Context, why: str) -> bool:
    ctx.message.intent = why
    return True


def _note_flood(ctx: Context, count: int) -> None:
    """Tell the grid officer once per window that a sender floods a chat."""
    message = ctx.message
    detail = f"{message.channel}:{message.chat_id}:{message.sender_id}"
    if any(e.detail == detail for e in audit.audit_since(ctx.session, action=FLOOD_NOTED,
                                                         since=ctx.now - SENDER_WINDOW)):
        return
    ctx.session.add(AuditEntry(at=ctx.now, actor_id="gridbot", action=FLOOD_NOTED, detail=detail))
    group = ctx.group.name or ctx.group.chat_id if ctx.group else texts.DIRECT_CHAT_NAME
    ctx.tell(grid_officer(ctx, ctx.grid), texts.FLOOD_NOTICE.format(
        name=ctx.sender.name, group=group, minutes=int(SENDER_WINDOW.total_seconds() // 60), n=count))
