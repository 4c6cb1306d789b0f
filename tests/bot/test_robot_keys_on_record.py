"""A group's robot key on record (a group imported with ``gridbot import groups``, not listed in config.toml)
is enough for its notices to fail over to that robot; a group without one is not tried there, and its receipt
keeps its own channel's reason. Real senders, the fake WeChat API server on loopback, a real database."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from sqlmodel import select

from bot.channels.aibot import AibotSender
from bot.channels.bridge import BridgeSender
from bot.outbox import OutboxSender
from storage import outbox
from storage.db import session as new_session
from storage.models import ChatGroup, DeliveryReceipt, Grid, Outbox
from tests.fakes.senders import ManualPulse
from tests.fakes.wechat_api import Fault

pytestmark = pytest.mark.postgres
BRIDGE, WEBHOOK = "/bridge/outbound", "/cgi-bin/webhook/send"
KEYED, BARE, AIBOT_GROUP = "R:keyed@chatroom", "R:bare@chatroom", "wrAibotGroup"


@pytest.fixture
async def deliver(engine, clock, fake_api):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        s.add(Grid(id="g1", name="一网格", officer_id="officer"))
        s.flush()
        s.add(ChatGroup(channel="bridge", chat_id=KEYED, grid_id="g1", webhook_key="imported-robot-key"))
        s.add(ChatGroup(channel="bridge", chat_id=BARE, grid_id="g1"))
        s.add(ChatGroup(channel="aibot", chat_id=AIBOT_GROUP, grid_id="g1", webhook_key="aibot-group-robot-key"))
        s.commit()
    pool = ThreadPoolExecutor(max_workers=1)
    async with aiohttp.ClientSession() as http:
        bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret", clock=clock)
        robot = AibotSender(http, clock=clock, webhook_keys={}, api_base=fake_api.base_url)  # no key in config
        yield OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge, "aibot": robot},
                           pulse=ManualPulse(), routes={"bridge": ("aibot",)})
    pool.shutdown(wait=True)


def queue(engine, clock, room: str, key: str, channel: str = "bridge") -> None:  # noqa: ANN001
    with new_session(engine) as s:
        outbox.enqueue(s, now=clock.now(), idempotency_key=key, channel=channel, chat_id=room,
                       text="【平安提示】今晚大风，请收好阳台物品", kind="notice")
        s.commit()


def receipt(engine, key: str) -> tuple[str, str]:  # noqa: ANN001
    with new_session(engine) as s:
        return tuple(s.exec(select(DeliveryReceipt.channel, DeliveryReceipt.reason)
                            .join(Outbox, Outbox.id == DeliveryReceipt.outbox_id)
                            .where(Outbox.idempotency_key == key)).one())


async def test_the_robot_key_on_record_carries_the_notice_when_the_bridge_is_down(engine, clock, fake_api, deliver):
    queue(engine, clock, KEYED, "n-keyed")
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver.drain_once() == 1
    assert [c.query["key"] for c in fake_api.calls_to(WEBHOOK)] == ["imported-robot-key"]
    assert receipt(engine, "n-keyed") == ("aibot", "")


async def test_a_group_without_a_robot_key_waits_and_keeps_its_channels_reason(engine, clock, fake_api, deliver):
    queue(engine, clock, BARE, "n-bare")
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver.drain_once() == 0
    assert fake_api.calls_to(WEBHOOK) == [] and receipt(engine, "n-bare") == ("", "down")
    with new_session(engine) as s:
        row = s.exec(select(Outbox)).one()
    assert row.status == "pending" and "bridge outbound: HTTP 503" in row.last_error


async def test_an_ai_bot_groups_own_notice_goes_by_the_robot_key_on_record(engine, clock, fake_api, deliver):
    queue(engine, clock, AIBOT_GROUP, "n-aibot", channel="aibot")  # no response_url: a scheduled notice
    assert await deliver.drain_once() == 1
    assert [c.query["key"] for c in fake_api.calls_to(WEBHOOK)] == ["aibot-group-robot-key"]
    assert receipt(engine, "n-aibot") == ("aibot", "") and fake_api.errors == []


@pytest.fixture
def config(fake_api):  # noqa: ANN001, ANN201
    """The demo community with the bridge on, no AI bot set up, and a bridge group on grid-1 with its robot."""
    from tests.factories import demo_raw, make_config

    grids = demo_raw()["grids"]
    grids[0]["groups"].append({"channel": "bridge", "chat_id": KEYED, "name": "幸福社区1网格群",
                               "webhook_key": "config-robot-key"})
    return make_config(grids=grids, aibot={"enabled": False, "api_base": fake_api.base_url},
                       bridge={"enabled": True, "secret": "bridge-secret", "pace_min_seconds": 0,
                               "pace_max_seconds": 0, "outbound_url": f"{fake_api.base_url}{BRIDGE}"})


async def test_a_served_bridge_falls_back_to_its_group_robot_without_an_ai_bot_set_up(bot, fake_api):
    from bot.keys import CLOCK, ENGINE

    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    queue(engine, clock, KEYED, "n-served")
    fake_api.inject(BRIDGE, Fault.http(503))
    await bot.step()
    assert [c.query["key"] for c in fake_api.calls_to(WEBHOOK)] == ["config-robot-key"]
    assert receipt(engine, "n-served") == ("aibot", "") and fake_api.errors == []
