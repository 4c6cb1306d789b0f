"""The daily digest to each officer: their grids' new, overdue, follow-up and fraud cases, and failures."""
from __future__ import annotations

from storage import outbox
from storage.db import session as new_session
from storage.models import VisitTask
from tests.bot.scheduling.test_scheduler_support import (
    add_dispute,
    case_event,
    local,
    run_until,
    sent_rows,
    start_bot,
)
from tests.fakes.clock import FakeClock


def digest_of(engine, officer: str) -> list[str]:  # noqa: ANN001
    return [row.text for row in sent_rows(engine, kind="digest", chat_id=officer)]


def add_failed_send(engine, *, now) -> None:  # noqa: ANN001
    with new_session(engine) as session:
        row = outbox.enqueue(session, now=now, idempotency_key="lost-1", channel="wecom", chat_id="grid-9",
                             text="请13900001111的业主到物业领取快递", kind="notice")
        outbox.mark_failed(session, row=row, now=now, error="errcode 93000: invalid webhook url")
        session.commit()


def add_visit_task(engine, case_id: int, *, now) -> None:  # noqa: ANN001
    with new_session(engine) as session:
        session.add(VisitTask(case_id=case_id, worker_id="worker-1", created_at=now))
        session.commit()


async def test_each_officer_gets_one_digest_of_their_grids(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 3, 7, 0))  # Tuesday
    bot = await start_bot(aiohttp_client, config, clock, engine)
    new = add_dispute(engine, now=local(2026, 11, 2, 12), text="楼上漏水到我家")
    overdue = add_dispute(engine, now=local(2026, 10, 25, 12), text="车位被占一直没解决")
    followup = add_dispute(engine, now=local(2026, 10, 20, 12), text="已调解的噪音纠纷")
    case_event(engine, followup, now=local(2026, 10, 28, 12), action="resolved", move="resolve")
    fraud = add_dispute(engine, now=local(2026, 11, 3, 6), kind="fraud", subtype=None, text="冒充客服要退款")
    other = add_dispute(engine, now=local(2026, 11, 2, 15), grid_id="grid-2", mediator="mediator-judicial",
                        reporter="resident-2", text="租房押金不退")
    visit = add_dispute(engine, now=local(2026, 10, 22, 12), text="需要上门回访的纠纷")
    add_visit_task(engine, visit, now=local(2026, 11, 2, 9))
    add_failed_send(engine, now=local(2026, 11, 3, 1))

    await run_until(bot, clock, local(2026, 11, 3, 12, 0))
    [first] = digest_of(engine, "officer-1")
    new_part, overdue_part, followup_part, fraud_part, failed_part, skipped_part = first.split("\n\n")[1:]
    assert f"{new}号" in new_part and f"{fraud}号" in new_part and f"{other}号" not in first
    assert f"{overdue}号" in overdue_part and f"{new}号" not in overdue_part
    assert f"{followup}号" in followup_part and f"{visit}号 居民未答复回访" in followup_part
    assert f"{fraud}号" in fraud_part and f"{new}号" not in fraud_part
    assert "grid-9" in failed_part and "139****1111" in failed_part and "13900001111" not in first
    assert skipped_part == "六、错过未发的定时任务：无"
    [second] = digest_of(engine, "officer-2")
    assert f"{other}号" in second and "grid-9" in second
    assert len(digest_of(engine, "officer-3")) == 1 and digest_of(engine, "duty-1") == []


async def test_a_quiet_day_still_gets_a_short_digest_once(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 3, 8, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    await run_until(bot, clock, local(2026, 11, 3, 23, 0))
    [text] = digest_of(engine, "officer-3")
    assert text.startswith("【每日简报】2026-11-03 王警官，您好。")
    assert "一、昨日以来新登记：无" in text and "五、未能送达的消息（请人工联系）：无" in text


def add_parked_message(engine, *, now, text: str) -> int:  # noqa: ANN001
    from storage import inbox
    from storage.models import Message

    with new_session(engine) as session:
        values = inbox.message_values(channel="sandbox", channel_msg_id=f"parked-{text}", chat_id="grid-1",
                                      sender_id="resident-1", text=text, sent_at=now, received_at=now)
        values.update(attempts=10, error="OperationalError: database is locked", parked_at=now)
        message = Message(**values)
        session.add(message)
        session.commit()
        return message.id


async def test_admins_are_told_of_parked_messages_masked(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 3, 7, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    parked = add_parked_message(engine, now=local(2026, 11, 3, 1), text="救命 我的电话13900001111")
    await run_until(bot, clock, local(2026, 11, 3, 12, 0))
    [text] = digest_of(engine, "admin-1")
    assert f"第{parked}条" in text and "试了10次" in text and "139****1111" in text and "13900001111" not in text
    assert all(f"第{parked}条" not in t for t in digest_of(engine, "officer-1"))  # officers' digests stay as they were


async def test_no_parked_message_no_admin_digest(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 3, 7, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    await run_until(bot, clock, local(2026, 11, 3, 12, 0))
    assert digest_of(engine, "admin-1") == [] and len(digest_of(engine, "officer-1")) == 1
