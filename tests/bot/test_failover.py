"""A group's notices, warnings and broadcasts fail over from the bridge to the group's WeCom group robot when the
bridge surely did not take them (budget spent, gateway down), each copy delivered once across channels, with a
receipt; a copy in doubt stays on its channel; a direct message never moves. Real senders, the fake WeChat API
server on loopback, a real database; no sleeping."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from sqlmodel import select

from bot.channels.aibot import AibotSender
from bot.channels.bridge import BridgeSender
from bot.channels.kit.send_budget import SendBudget
from bot.outbox import OutboxSender
from storage import outbox, send_turns
from storage.db import session as new_session
from storage.models import DeliveryReceipt, Outbox
from tests.fakes.wechat_api import Fault, FakeWechatApi
from tests.fakes.senders import ManualPulse

pytestmark = pytest.mark.postgres
BRIDGE, WEBHOOK = "/bridge/outbound", "/cgi-bin/webhook/send"
ROOMS = {f"R:{i}@chatroom": f"robot-key-{i}" for i in range(4)}  # bridge room → its group robot's key


@pytest.fixture
async def deliver(engine, clock, fake_api):  # noqa: ANN001, ANN201
    """An outbox sender with the real bridge and group-robot senders, the bridge's budget as the test sets it."""
    pool = ThreadPoolExecutor(max_workers=1)
    async with aiohttp.ClientSession() as http:
        def make(budget: SendBudget | None = None) -> OutboxSender:
            bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret",
                                  clock=clock, budget=budget)
            robot = AibotSender(http, clock=clock, webhook_keys=ROOMS, api_base=fake_api.base_url)
            return OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge, "aibot": robot},
                                pulse=ManualPulse(), routes={"bridge": ("aibot",)})
        yield make
    pool.shutdown(wait=True)


def queue(engine, clock, *rooms: str, kind: str = "broadcast", direct: bool = False) -> None:  # noqa: ANN001
    with new_session(engine) as s:
        for i, room in enumerate(rooms):
            outbox.enqueue(s, now=clock.now(), idempotency_key=f"b-{i}", channel="bridge", chat_id=room,
                           text="【警务提醒】近期冒充客服退款诈骗高发", kind=kind, is_direct=direct)
        s.commit()


def receipts(engine) -> dict[str, tuple[str, str, str]]:  # noqa: ANN001
    with new_session(engine) as s:
        rows = s.exec(select(Outbox.idempotency_key, DeliveryReceipt.channel, DeliveryReceipt.reason,
                             DeliveryReceipt.doubtful).join(DeliveryReceipt, DeliveryReceipt.outbox_id == Outbox.id))
        return {key: (channel, reason, doubtful) for key, channel, reason, doubtful in rows}


def turn_on_record(engine, clock) -> None:  # noqa: ANN001
    """A send on the bridge account taken by another process (storage/send_turns.py)."""
    with new_session(engine) as s:
        send_turns.record(s, account="bridge", at=clock.now(), next_at=clock.now())
        s.commit()


def robot_keys(fake: FakeWechatApi) -> list[str]:
    return [call.query["key"] for call in fake.calls_to(WEBHOOK)]


async def test_a_copy_the_gateway_refused_for_now_goes_by_the_groups_robot_once(engine, clock, fake_api, deliver):
    queue(engine, clock, "R:0@chatroom")
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver().drain_once() == 1
    assert fake_api.bridge_keys() == ["b-0"] and robot_keys(fake_api) == ["robot-key-0"]
    assert receipts(engine) == {"b-0": ("aibot", "", "")}
    assert await deliver().drain_once() == 0 and len(fake_api.calls) == 2  # nothing is sent twice
    assert fake_api.errors == []


async def test_a_spent_budget_sends_the_rest_by_robot_without_calling_the_gateway(engine, clock, fake_api, deliver):
    queue(engine, clock, *ROOMS)
    budget = SendBudget(per_hour=2, per_day=10, gap_seconds=(0, 0), clock=clock)
    assert await deliver(budget).drain_once() == 4
    assert sorted(fake_api.bridge_keys()) == ["b-0", "b-1"]
    assert sorted(robot_keys(fake_api)) == ["robot-key-2", "robot-key-3"]
    assert sorted(channel for channel, _, _ in receipts(engine).values()) == ["aibot", "aibot", "bridge", "bridge"]


async def test_a_copy_in_doubt_is_retried_on_its_own_channel_only(engine, clock, fake_api, deliver):
    queue(engine, clock, "R:1@chatroom")
    fake_api.inject(BRIDGE, Fault.drop())  # the connection dies mid-request: it may have reached the group
    sender = deliver()
    assert await sender.drain_once() == 0
    assert receipts(engine) == {"b-0": ("", "unsure", "bridge")}
    fake_api.inject(BRIDGE, Fault.http(503))  # down now, but the copy may be in the group already
    clock.advance(seconds=6)
    assert await sender.drain_once() == 0
    assert robot_keys(fake_api) == []
    clock.advance(seconds=11)
    assert await sender.drain_once() == 1
    assert fake_api.bridge_keys() == ["b-0"] * 3 and robot_keys(fake_api) == []  # the gateway dedups its key
    assert receipts(engine) == {"b-0": ("bridge", "", "bridge")}


async def test_a_direct_message_never_goes_to_a_group_robot(engine, clock, fake_api, deliver):
    queue(engine, clock, "R:2@chatroom", kind="alert", direct=True)  # a chat id that is also a robot's group
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver().drain_once() == 0
    assert robot_keys(fake_api) == [] and receipts(engine) == {}


async def test_a_reply_stays_on_the_bridge(engine, clock, fake_api, deliver):
    queue(engine, clock, "R:2@chatroom", kind="reply")
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver().drain_once() == 0
    assert robot_keys(fake_api) == []


async def test_a_group_without_another_channel_waits_for_its_budget(engine, clock, fake_api, deliver):
    queue(engine, clock, "R:9@chatroom")
    budget = SendBudget(per_hour=1, per_day=10, gap_seconds=(0, 0), clock=clock)
    turn_on_record(engine, clock)
    assert await deliver(budget).drain_once() == 0
    assert fake_api.calls == [] and receipts(engine) == {"b-0": ("", "budget", "")}
    with new_session(engine) as s:
        row = s.exec(select(Outbox)).one()
        assert row.status == "pending" and row.attempts == 0  # waiting is not a failed attempt
        assert (row.next_attempt_at - clock.now()).total_seconds() == pytest.approx(3600)


async def test_a_send_on_record_from_another_process_counts_against_this_ones_budget(engine, clock, fake_api,
                                                                                    deliver):
    queue(engine, clock, "R:7@chatroom")
    turn_on_record(engine, clock)  # an earlier run, or another process, sent on the account
    clock.advance(minutes=5)
    budget = SendBudget(per_hour=1, per_day=10, gap_seconds=(0, 0), clock=clock)
    assert await deliver(budget).drain_once() == 0  # this run's budget already holds that send
    assert fake_api.calls == [] and budget.spent() == (1, 1)
    assert receipts(engine)["b-0"] == ("", "budget", "")


async def test_copies_the_groups_robot_delivered_do_not_count_against_the_bridge_after_a_restart(
        engine, clock, fake_api, deliver):
    queue(engine, clock, *list(ROOMS)[:2])
    assert await deliver(SendBudget(per_hour=1, per_day=10, gap_seconds=(0, 0), clock=clock)).drain_once() == 2
    assert sorted(channel for channel, _, _ in receipts(engine).values()) == ["aibot", "bridge"]
    restarted = SendBudget(per_hour=5, per_day=10, gap_seconds=(0, 0), clock=clock)
    assert await deliver(restarted).drain_once() == 0
    assert restarted.spent() == (1, 1)  # the bridge's own delivery only


async def test_when_both_channels_are_down_the_copy_waits_and_is_delivered_once(engine, clock, fake_api, deliver):
    queue(engine, clock, *ROOMS)
    fake_api.inject(BRIDGE, *[Fault.http(503)] * 4)
    fake_api.inject(WEBHOOK, Fault.http(503), Fault.http(503))
    sender = deliver()
    assert await sender.drain_once() == 2
    assert Counter(reason for _, reason, _ in receipts(engine).values()) == {"": 2, "down": 2}
    clock.advance(seconds=6)
    assert await sender.drain_once() == 2
    clock.advance(minutes=5)
    assert await sender.drain_once() == 0
    via = {key: channel for key, (channel, _, _) in receipts(engine).items()}
    assert Counter(via.values()) == {"bridge": 2, "aibot": 2}
    bridge_calls, robot_calls = Counter(fake_api.bridge_keys()), Counter(robot_keys(fake_api))
    for i in range(4):  # each group: one refused call per channel tried before, then one delivery, nothing more
        assert (bridge_calls[f"b-{i}"], robot_calls[f"robot-key-{i}"]) == ((2, 1) if via[f"b-{i}"] == "bridge"
                                                                           else (1, 1))


async def test_a_pacing_account_is_not_called_until_its_pause_ends_but_warnings_still_go(engine, clock, fake_api,
                                                                                       deliver):
    queue(engine, clock, "R:0@chatroom", "R:1@chatroom", "R:2@chatroom")
    with new_session(engine) as s:
        outbox.enqueue(s, now=clock.now(), idempotency_key="warn-1", channel="bridge", chat_id="R:3@chatroom",
                       text="【反诈提醒】", kind="alert")
        s.commit()
    sender = deliver(SendBudget(per_hour=100, per_day=100, gap_seconds=(5, 5), clock=clock))
    assert await sender.drain_once() == 1 and fake_api.bridge_keys() == ["warn-1"]  # warnings first; the gap starts
    assert sender.pause_left(60) == pytest.approx(5)
    assert await sender.drain_once() == 0 and len(fake_api.calls) == 1  # paused copies are not even claimed
    assert robot_keys(fake_api) == []  # pacing is a wait, not a reason to change channel
    clock.advance(seconds=5)
    assert await sender.drain_once() == 1 and fake_api.bridge_keys()[-1] == "b-0"
    with new_session(engine) as s:  # a warning during the pause is not held by it
        outbox.enqueue(s, now=clock.now(), idempotency_key="warn-2", channel="bridge", chat_id="R:3@chatroom",
                       text="【反诈提醒】", kind="alert")
        s.commit()
    assert await sender.drain_once() == 1 and fake_api.bridge_keys()[-1] == "warn-2"
    for _ in range(2):
        clock.advance(seconds=5)
        assert await sender.drain_once() == 1
    assert fake_api.bridge_keys() == ["warn-1", "b-0", "warn-2", "b-1", "b-2"]
