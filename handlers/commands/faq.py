"""/faq (/问答): officers own the FAQ. list, show, add, edit, remove, and learn (an officer's /reply to an
inquiry case becomes a draft entry the officer confirms). Stored in the database, audited, over the packaged
topics, in force from the next message in every process."""
from __future__ import annotations

import re

from handlers import texts
from handlers.cases.view import local_time, name_of
from handlers.commands.common import case_from_args
from handlers.context import Context
from handlers.faq import library_of
from handlers.faq.kb import KnowledgeBaseError, Topic, check_answer, find_title
from handlers.faq.text import simplify
from handlers.privacy import mask_personal
from handlers.roles import OFFICERS
from handlers.router import CommandCall, Router
from storage import cases
from storage import faq as store
from storage.models import AuditEntry, FaqEntry

router = Router("faq")
ACTIONS = {"list": "list", "列表": "list", "show": "show", "查看": "show", "add": "add", "添加": "add",
           "edit": "edit", "修改": "edit", "remove": "remove", "删除": "remove", "learn": "learn", "学习": "learn"}
_PARTS = re.compile(r"[|｜]")  # split, then strip: a pattern with \s* on both sides is quadratic on a run of spaces
_QUESTIONS = re.compile(r"[;；\n]")
MAX_TITLE = 30


@router.command("faq", usage="/faq list|show|add|edit|remove|learn", summary="管理问答库，下一条消息即生效",
                roles=OFFICERS)
def on_faq(ctx: Context) -> None:
    word, _, rest = ctx.call.args.partition(" ")
    action = ACTIONS.get(word.strip().lower())
    if action is None:
        ctx.reply(texts.BAD_USAGE.format(usage=texts.FAQ_USAGE))
        return
    HANDLERS[action](ctx, rest.strip())


def _list(ctx: Context, word: str) -> None:
    topics = library_of(ctx).topics(ctx.session)
    shown = [t for t in topics if not word or word in t.title or word == t.domain_name]
    if not shown:
        ctx.reply(texts.FAQ_LIST_NONE.format(word=word))
        return
    by_domain: dict[str, list[str]] = {}
    for t in shown:
        mark = texts.FAQ_MARK_OWN if not t.packaged else texts.FAQ_MARK_CHANGED if t.entry_id else ""
        by_domain.setdefault(t.domain_name, []).append(t.title + mark)
    lines = [texts.FAQ_LIST_HEADER.format(n=len(shown))]
    lines += [texts.FAQ_LIST_DOMAIN.format(domain=d, titles="、".join(ts)) for d, ts in by_domain.items()]
    ctx.reply("\n".join(lines))


def _show(ctx: Context, title: str) -> None:
    topic = _topic_or_hint(ctx, title)
    if topic is None:
        return
    source = texts.FAQ_SOURCE_PACKAGED
    entry = ctx.session.get(FaqEntry, topic.entry_id) if topic.entry_id else None
    if entry is not None:
        template = texts.FAQ_SOURCE_OWN if not topic.packaged else texts.FAQ_SOURCE_CHANGED
        source = template.format(who=name_of(ctx, entry.updated_by), when=local_time(ctx, entry.updated_at))
    questions = "；".join(topic.questions[:6]) + ("…" if len(topic.questions) > 6 else "")
    ctx.reply(texts.FAQ_SHOW.format(title=topic.title, domain=topic.domain_name, source=source,
                                    n=len(topic.questions), questions=questions, answer=for_officer(topic.answer)))


def _add(ctx: Context, args: str) -> None:
    parts = _split(ctx, args, need_all=True)
    if parts is None:
        return
    title, questions, answer = parts
    topics = library_of(ctx).topics(ctx.session)
    if find_title(topics, title) is not None:
        ctx.reply(texts.FAQ_TITLE_TAKEN.format(title=title))
        return
    store.add_entry(ctx.session, now=ctx.now, actor_id=ctx.sender.id, title=title, questions=questions,
                    answer=answer, station="{station}" in answer)
    _audit(ctx, "add", title, answer)
    ctx.reply(texts.FAQ_ADDED.format(title=title, n=len(questions)))


def _edit(ctx: Context, args: str) -> None:
    parts = _split(ctx, args, need_all=False)
    if parts is None:
        return
    title, questions, answer = parts
    topic = _topic_or_hint(ctx, title)
    if topic is None:
        return
    entry = _entry_for(ctx, topic)
    changes = {"state": "active", "title": topic.title,
               "questions": questions or list(topic.questions), "answer": answer or topic.answer,
               "station": topic.station or "{station}" in (answer or "")}
    store.change_entry(ctx.session, entry=entry, now=ctx.now, actor_id=ctx.sender.id, **changes)
    _audit(ctx, "edit", topic.title, answer or "；".join(questions))
    ctx.reply(texts.FAQ_EDITED.format(title=topic.title))


def _remove(ctx: Context, title: str) -> None:
    topic = _topic_or_hint(ctx, title)
    if topic is None:
        return
    entry = _entry_for(ctx, topic)
    store.change_entry(ctx.session, entry=entry, now=ctx.now, actor_id=ctx.sender.id, state="removed")
    _audit(ctx, "remove", topic.title)
    ctx.reply(texts.FAQ_REMOVED.format(title=topic.title))


def _learn(ctx: Context, args: str) -> None:
    """/faq learn N: a draft from case N's last officer reply; /faq learn N 确认 [标题]: save it."""
    ctx.call = CommandCall(ctx.call.name, args)
    found = case_from_args(ctx, "/faq learn 案件编号 [确认 [标题]]")
    if not found:
        return
    case, rest = found
    if case.kind != "inquiry":
        ctx.reply(texts.FAQ_LEARN_NOT_INQUIRY.format(case=case.id))
        return
    reply = cases.last_event(ctx.session, case_id=case.id, actions=("replied",))
    if reply is None:
        ctx.reply(texts.FAQ_LEARN_NO_REPLY.format(case=case.id))
        return
    draft = store.entry_learned_from(ctx.session, case_id=case.id)
    if draft is not None and draft.state != "draft":
        ctx.reply(texts.FAQ_LEARN_DONE.format(case=case.id, title=draft.title))
        return
    if draft is None:
        question = mask_personal(case.text)
        draft = store.add_entry(ctx.session, now=ctx.now, actor_id=ctx.sender.id, title=_title_from(question),
                                questions=[question], answer=reply.detail, state="draft", source_case_id=case.id)
    word, _, title = rest.strip().partition(" ")
    if word.lower() not in texts.FAQ_CONFIRM_WORDS:
        ctx.reply(texts.FAQ_LEARN_DRAFT.format(case=case.id, title=draft.title, question=draft.questions[0],
                                               answer=for_officer(draft.answer)))
        return
    title = title.strip()[:MAX_TITLE] or draft.title
    if find_title(library_of(ctx).topics(ctx.session), title) is not None:
        ctx.reply(texts.FAQ_TITLE_TAKEN.format(title=title))
        return
    store.change_entry(ctx.session, entry=draft, now=ctx.now, actor_id=ctx.sender.id, state="active", title=title)
    _audit(ctx, "learn", title, draft.answer)
    ctx.reply(texts.FAQ_LEARN_SAVED.format(case=case.id, title=title))


def _split(ctx: Context, args: str, *, need_all: bool) -> tuple[str, list[str], str] | None:
    """'标题｜问法1；问法2｜答案' → (title, questions, answer); on a problem reply and return None."""
    parts = [part.strip() for part in _PARTS.split(args.strip(), maxsplit=2)]
    if len(parts) != 3 or not parts[0] or len(parts[0]) > MAX_TITLE or (need_all and not (parts[1] and parts[2])):
        ctx.reply(texts.FAQ_NEED_PARTS)
        return None
    questions = [q.strip() for q in _QUESTIONS.split(parts[1]) if q.strip()]
    title, answer = parts[0], from_officer(parts[2])
    try:
        check_answer(answer)
    except KnowledgeBaseError:
        ctx.reply(texts.FAQ_BAD_ANSWER)
        return None
    return title, questions, answer


def from_officer(answer: str) -> str:
    """{电话} → {phone}: officers write the placeholders in Chinese (English is accepted too)."""
    for code, name in texts.FAQ_PLACEHOLDER_NAMES.items():
        answer = answer.replace("{" + name + "}", "{" + code + "}")
    return answer


def for_officer(answer: str) -> str:
    for code, name in texts.FAQ_PLACEHOLDER_NAMES.items():
        answer = answer.replace("{" + code + "}", "{" + name + "}")
    return answer


def _topic_or_hint(ctx: Context, title: str) -> Topic | None:
    library = library_of(ctx)
    topic = find_title(library.topics(ctx.session), title) if title else None
    if topic is None:
        ranked = library.retriever(ctx.session).index.rank(title, 3) if title else []
        hint = texts.FAQ_NEAREST_HINT.format(titles="、".join(r.topic.title for r in ranked)) if ranked else ""
        ctx.reply(texts.FAQ_UNKNOWN_TITLE.format(title=title or texts.EMPTY_VALUE, hint=hint))
    return topic


def _entry_for(ctx: Context, topic: Topic) -> FaqEntry:
    """The row that carries an officer's change of a topic: its own row, or a new override of a packaged one."""
    if topic.entry_id:
        return ctx.session.get(FaqEntry, topic.entry_id)
    entry = store.entry_for_topic(ctx.session, topic_key=topic.key)
    if entry is None:
        entry = store.add_entry(ctx.session, now=ctx.now, actor_id=ctx.sender.id, topic_key=topic.key,
                                title=topic.title, questions=list(topic.questions), answer=topic.answer,
                                station=topic.station, state="active")
    return entry


def _title_from(question: str) -> str:
    words = re.sub(r"^(请问|问一下|问下|咨询一下|你好|您好|警官)[，,\s]*", "", simplify(question))
    return re.sub(r"[？?。！!，,\s]+", "", words)[:12] or question[:12]


def _audit(ctx: Context, what: str, title: str, content: str = "") -> None:
    """One audit row per change: who (actor), when, which entry, what, and the start of the new text."""
    detail = texts.FAQ_EVENT_DETAIL.format(title=title, what=texts.FAQ_WHAT[what])
    if content:
        detail += "｜" + content.replace("\n", " ")[:120]
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action=f"faq_{what}", detail=mask_personal(detail)))


HANDLERS = {"list": _list, "show": _show, "add": _add, "edit": _edit, "remove": _remove, "learn": _learn}
