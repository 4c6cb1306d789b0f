"""When a residents' group cannot be reached (the bridge down or out of budget, no group robot, or the robot down
too), its scheduled notices and broadcasts go to the grid's followers of the Official Account as template messages:
one per follower, once whatever retries happen and however many of the grid's groups fail, and the group's receipt
says so. A copy in doubt, a reply, a warning about one report, a case's notice, a broadcast to tagged groups and a
direct message never go this way. Real senders, the fake WeChat API server on loopback, a real database; no sleeping."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlmodel import select

from bot.channels.aibot import AibotSender
from bot.channels.base import NotDelivered
from bot.channels.bridge import BridgeSender
from bot.channels.mp import MpSender, MpSettings
from bot.channels.wechat.api import ApiClient
from bot.failover import rerouted
from bot.follower_notices import FOLLOWERS, FollowerNotices, summary, template_parts
from bot.outbox import OutboxSender, _outbound
from storage import outbox
from storage.db import session as new_session
from storage.followers import for_every_resident
from storage.models import Account, ChatGroup, DeliveryReceipt, Grid, Outbox, Person
from tests.fakes.senders import ManualPulse
from tests.fakes.wechat_api import Fault

pytestmark = pytest.mark.postgres
BRIDGE, WEBHOOK, TEMPLATE = "/bridge/outbound", "/cgi-bin/webhook/send", "/cgi-bin/message/template/send"
ROOM, ROBOT_ROOM, EMPTY_ROOM = "R:1@chatroom", "R:2@chatroom", "R:3@chatroom"
FIELDS = {"title": "thing1", "text": "thing2", "time": "time3", "group": "thing4"}
NOTICE = "【警务提醒】近期冒充客服退款诈骗高发，凡是要求屏幕共享、转账到安全账户的都是诈骗"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def roster(engine):  # noqa: ANN001, ANN201
    """Grid g1 (two followers, one person without the account) with a bridge group and a bridge group that has a
    robot; grid g2 (one follower) with a group of its own; grid g3 with nobody following."""
    with new_session(engine) as s:
        for grid in ("g1", "g2", "g3"):
            s.add(Grid(id=grid, name=f"{grid}网格", officer_id="officer"))
        s.flush()
        for chat, grid, name in ((ROOM, "g1", "幸福社区1网格群"), (ROBOT_ROOM, "g2", "幸福社区2网格群"),
                                 (EMPTY_ROOM, "g3", "幸福社区3网格群")):
            s.add(ChatGroup(channel="bridge", chat_id=chat, grid_id=grid, name=name))
        for person, grid, openid in (("r1", "g1", "oA1"), ("r2", "g1", "oA2"), ("r3", "g1", ""), ("r4", "g2", "oB1")):
            s.add(Person(id=person, name=person, role="resident", grid_id=grid))
            s.flush()
            if openid:
                s.add(Account(family="mp", external_id=openid, person_id=person))
        s.commit()


@pytest.fixture
async def deliver(engine, clock, fake_api, roster):  # noqa: ANN001, ANN201
    pool = ThreadPoolExecutor(max_workers=1)
    async with aiohttp.ClientSession() as http:
        def make() -> OutboxSender:
            bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret",
                                  clock=clock)
            robot = AibotSender(http, clock=clock, webhook_keys={ROBOT_ROOM: "robot-key"}, api_base=fake_api.base_url)
            client = ApiClient.mp(http, app_id="wxfakeapp", secret="mp-secret", clock=clock,
                                  api_base=fake_api.base_url)
            mp = MpSender(client, clock=clock, template_id="TPL-notice", template_fields=FIELDS)
            followers = FollowerNotices(engine=engine, executor=pool, clock=clock, tz=SHANGHAI)
            routes = {"bridge": ("aibot", FOLLOWERS)}  # the robot only where it has a key
            return OutboxSender(engine=engine, executor=pool, clock=clock, pulse=ManualPulse(), routes=routes,
                                senders={"bridge": bridge, "aibot": robot, "mp": mp, FOLLOWERS: followers})
        yield make
    pool.shutdown(wait=True)


def queue(engine, clock, room: str, *, kind: str = "broadcast", direct: bool = False, key: str = "b-1",  # noqa: ANN001
          audience: bool = True, origin: str = "broadcast-1") -> None:
    """A copy for the group; ``audience``: meant for every resident (a broadcast to grids, a scheduled notice),
    from the broadcast or notice run ``origin``."""
    with new_session(engine) as s:
        outbox.enqueue(s, now=clock.now(), idempotency_key=key, channel="bridge", chat_id=room, text=NOTICE,
                       kind=kind, is_direct=direct, reply_hint=for_every_resident(origin) if audience else {})
        s.commit()


def receipt(engine, key: str = "b-1") -> tuple[str, str] | None:  # noqa: ANN001
    with new_session(engine) as s:
        row = s.exec(select(DeliveryReceipt.channel, DeliveryReceipt.reason)
                     .join(Outbox, Outbox.id == DeliveryReceipt.outbox_id).where(Outbox.idempotency_key == key)).first()
        return tuple(row) if row else None


def rows(engine) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    with new_session(engine) as s:
        return {r.idempotency_key: (r.chat_id, r.status) for r in s.exec(select(Outbox))}


def templates(fake_api) -> list[tuple[str, dict]]:  # noqa: ANN001
    return [(c.body["touser"], c.body["data"]) for c in fake_api.calls_to(TEMPLATE)]


async def test_a_group_the_bridge_cannot_reach_gets_its_notice_through_its_followers_once(engine, clock, fake_api,
                                                                                         deliver):
    queue(engine, clock, ROOM)
    fake_api.inject(BRIDGE, Fault.http(503))
    sender = deliver()
    assert await sender.drain_once() == 1  # the group's copy: handed to its grid's two followers
    assert receipt(engine) == (FOLLOWERS, "")
    assert sorted(rows(engine).values()) == [("R:1@chatroom", "sent"), ("oA1", "pending"), ("oA2", "pending")]
    assert await sender.drain_once() == 2
    sent = templates(fake_api)
    assert sorted(openid for openid, _ in sent) == ["oA1", "oA2"]  # not g2's follower, not r3 (no account)
    data = sent[0][1]
    assert data == {"thing1": {"value": "社区通知"}, "thing2": {"value": summary(NOTICE)},
                    "time3": {"value": clock.now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")},
                    "thing4": {"value": "幸福社区1网格群"}}
    assert len(data["thing2"]["value"]) == 20 and data["thing2"]["value"].endswith("…")
    assert all(c.body["template_id"] == "TPL-notice" for c in fake_api.calls_to(TEMPLATE))
    assert await sender.drain_once() == 0 and len(fake_api.calls_to(TEMPLATE)) == 2  # nothing twice
    assert fake_api.errors == []


async def test_the_groups_robot_goes_first_and_followers_only_when_it_is_down_too(engine, clock, fake_api, deliver):
    queue(engine, clock, ROBOT_ROOM, key="robot-up")
    fake_api.inject(BRIDGE, Fault.http(503), Fault.http(503))
    assert await deliver().drain_once() == 1
    assert receipt(engine, "robot-up") == ("aibot", "") and fake_api.calls_to(TEMPLATE) == []
    queue(engine, clock, ROBOT_ROOM, key="robot-down", kind="notice")
    fake_api.inject(WEBHOOK, Fault.http(503))
    sender = deliver()
    assert await sender.drain_once() == 1 and await sender.drain_once() == 1
    assert receipt(engine, "robot-down") == (FOLLOWERS, "")
    assert templates(fake_api)[0][0] == "oB1" and templates(fake_api)[0][1]["thing1"] == {"value": "平安提示"}


async def test_a_failover_repeated_after_a_lost_settle_queues_no_follower_twice(engine, clock, fake_api, deliver):
    queue(engine, clock, ROOM)
    followers = FollowerNotices(engine=engine, executor=ThreadPoolExecutor(max_workers=1), clock=clock, tz=SHANGHAI)
    with new_session(engine) as s:
        row = s.exec(select(Outbox)).one()
        outbox.claim_due(s, now=clock.now(), limit=1, owner="me", token="run-1", lease=timedelta(seconds=30))
        s.commit()
    message = rerouted(_outbound(row), FOLLOWERS)
    message = replace(message, reply_hint={**message.reply_hint, "lease_token": "run-1"})
    await followers.send(message)
    await followers.send(message)  # the same group copy again: the follower rows are keyed by text, day, openid
    assert sorted(chat for chat, _ in rows(engine).values()) == [ROOM, "oA1", "oA2"]
    with pytest.raises(NotDelivered, match="no longer holds"):  # another run took the group's copy meanwhile
        await followers.send(replace(message, reply_hint={**message.reply_hint, "lease_token": "run-0"}))


async def test_two_groups_of_one_grid_failing_give_each_follower_one_copy(engine, clock, fake_api, deliver):
    with new_session(engine) as s:
        s.add(ChatGroup(channel="bridge", chat_id="R:1b@chatroom", grid_id="g1", name="幸福社区1网格二群"))
        s.commit()
    queue(engine, clock, ROOM, key="broadcast-7-1", origin="broadcast-7")
    queue(engine, clock, "R:1b@chatroom", key="broadcast-7-9", origin="broadcast-7")
    fake_api.inject(BRIDGE, Fault.http(503), Fault.http(503))
    sender = deliver()
    assert await sender.drain_once() == 2
    assert await sender.drain_once() == 2 and sorted(o for o, _ in templates(fake_api)) == ["oA1", "oA2"]
    assert receipt(engine, "broadcast-7-1") == (FOLLOWERS, "") and receipt(engine, "broadcast-7-9") == (FOLLOWERS, "")


async def test_the_same_text_broadcast_again_later_reaches_the_followers_again(engine, clock, fake_api, deliver):
    sender = deliver()
    for broadcast in (8, 9):  # an officer repeats a 停水 reminder the same afternoon: a broadcast of its own
        queue(engine, clock, ROOM, key=f"broadcast-{broadcast}-1", origin=f"broadcast-{broadcast}")
        fake_api.inject(BRIDGE, Fault.http(503))
        assert await sender.drain_once() == 1 and await sender.drain_once() == 2
        clock.advance(minutes=30)
    assert sorted(o for o, _ in templates(fake_api)) == ["oA1", "oA1", "oA2", "oA2"]


async def test_a_grid_without_followers_keeps_the_copy_waiting_for_its_group(engine, clock, fake_api, deliver):
    queue(engine, clock, EMPTY_ROOM)
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver().drain_once() == 0
    assert rows(engine) == {"b-1": (EMPTY_ROOM, "pending")} and receipt(engine) == ("", "down")
    clock.advance(seconds=60)
    assert await deliver().drain_once() == 1  # the bridge is back
    assert receipt(engine) == ("bridge", "") and fake_api.calls_to(TEMPLATE) == []


@pytest.mark.parametrize("kind, audience, direct", [
    ("reply", True, False),  # a reply in the group
    ("alert", False, False),  # a warning about one resident's report, a help acknowledgement
    ("notice", False, False),  # a case's correction notice, the bot's introduction
    ("broadcast", False, False),  # a broadcast to tagged groups (商铺)
    ("alert", True, True),  # anything direct
])
async def test_only_copies_meant_for_every_resident_reach_followers(engine, clock, fake_api, deliver, kind, audience,
                                                                    direct):
    queue(engine, clock, ROOM, kind=kind, audience=audience, direct=direct)
    fake_api.inject(BRIDGE, Fault.http(503))
    assert await deliver().drain_once() == 0
    assert list(rows(engine)) == ["b-1"] and fake_api.calls_to(TEMPLATE) == []


async def test_a_copy_in_doubt_stays_on_its_channel(engine, clock, fake_api, deliver):
    queue(engine, clock, ROOM, key="doubt")
    fake_api.inject(BRIDGE, Fault.drop())  # may have reached the group
    assert await deliver().drain_once() == 0
    fake_api.inject(BRIDGE, Fault.http(503))
    clock.advance(seconds=6)
    assert await deliver().drain_once() == 0
    assert list(rows(engine)) == ["doubt"] and fake_api.calls_to(TEMPLATE) == []


async def test_a_retry_whose_only_channel_has_no_way_to_the_group_is_not_marked_sent(engine, clock, fake_api,
                                                                                    deliver):
    queue(engine, clock, EMPTY_ROOM, key="robot-doubt")
    with new_session(engine) as s:  # its last try ended in doubt on the followers' route, and g3 has none now
        row = s.exec(select(Outbox)).one()
        row.last_error = "timeout"
        s.add(row)
        s.add(DeliveryReceipt(outbox_id=row.id, updated_at=clock.now(), reason="unsure", doubtful=FOLLOWERS))
        s.commit()
    assert await deliver().drain_once() == 0
    assert rows(engine) == {"robot-doubt": (EMPTY_ROOM, "pending")} and fake_api.calls == []


async def test_a_follower_who_left_the_account_fails_alone(engine, clock, fake_api, deliver):
    queue(engine, clock, ROOM)
    fake_api.inject(BRIDGE, Fault.http(503))
    sender = deliver()
    await sender.drain_once()
    fake_api.inject(TEMPLATE, Fault.errcode(43004))
    assert await sender.drain_once() == 1
    statuses = sorted(status for key, (_, status) in rows(engine).items() if key.startswith("follower:"))
    assert statuses == ["failed", "sent"]


def test_template_parts_name_the_kind_the_time_and_the_group():
    from datetime import datetime, timezone

    at = datetime(2026, 12, 7, 14, 5, tzinfo=timezone.utc)
    parts = template_parts(kind="notice", text="今晚  有雨\n注意防滑", group_name="", at=at, tz=SHANGHAI)
    assert parts == {"title": "平安提示", "text": "今晚 有雨 注意防滑", "time": "2026-12-07 22:05", "group": "网格群"}


@pytest.mark.parametrize("fields, error", [({"title": "thing1", "body": "thing2"}, "unknown part(s) ['body']"),
                                           ({}, "at least one part"), ({"text": ""}, "at least one part")])
def test_bad_template_fields_are_refused_with_the_reason(fields, error):
    with pytest.raises(ValueError, match=error.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")
                       .replace(")", r"\)")):
        MpSettings(notice_template_fields=fields)


MP = {"enabled": True, "app_id": "wxfakeapp", "secret": "mp-secret", "token": "mp-token"}


def test_every_group_chat_falls_back_to_its_followers_only_when_a_template_is_set():
    from bot.channels import registry
    from tests.factories import make_config

    without = registry.failover_routes(make_config(mp=MP))
    assert without.get("bridge", ()) == ("aibot",)  # tried only where the group's robot key is on record
    routes = registry.failover_routes(make_config(mp={**MP, "notice_template_id": "TPL-notice"}))
    assert routes.get("bridge", ()) == ("aibot", FOLLOWERS)  # any bridge group, imported ones too: robot first
    assert routes.get("wecom", ()) == ()  # a WeCom group's members are staff, not the grid's residents
    assert routes.get("sandbox", ()) == ()


def test_check_config_names_a_bad_template_part_with_its_key_path():
    from bot.channels import registry

    errors = registry.section_errors({"mp": {**MP, "notice_template_fields": {"heading": "thing1"}}})
    assert errors == ["mp.notice_template_fields: Value error, unknown part(s) ['heading']; known: "
                      "['title', 'text', 'time', 'group']"]


@pytest.fixture
def config(fake_api):  # noqa: ANN001, ANN201
    """The demo community with a bridge group on grid-1 and the Official Account's notice template set."""
    from tests.factories import demo_raw, make_config

    grids = demo_raw()["grids"]
    grids[0]["groups"].append({"channel": "bridge", "chat_id": ROOM, "name": "幸福社区1网格群"})
    return make_config(grids=grids, mp={**MP, "notice_template_id": "TPL-notice", "api_base": fake_api.base_url},
                       bridge={"enabled": True, "secret": "bridge-secret", "pace_min_seconds": 0,
                               "pace_max_seconds": 0, "outbound_url": f"{fake_api.base_url}{BRIDGE}"})


async def test_served_app_sends_a_notice_its_bridge_group_cannot_take_to_the_grids_followers(bot, engine, clock,
                                                                                             fake_api):
    with new_session(engine) as s:
        s.add(Person(id="r-follow", name="刘阿姨", role="resident", grid_id="grid-1"))
        s.flush()
        s.add(Account(family="mp", external_id="oFollow", person_id="r-follow"))
        s.commit()
    queue(engine, clock, ROOM, kind="notice")
    fake_api.inject(BRIDGE, Fault.http(503))
    await bot.step()
    assert templates(fake_api) == [("oFollow", {"thing1": {"value": "平安提示"}, "thing2": {"value": summary(NOTICE)},
                                                "time3": {"value": clock.now().astimezone(SHANGHAI)
                                                          .strftime("%Y-%m-%d %H:%M")}})]
    assert receipt(engine) == (FOLLOWERS, "") and fake_api.errors == []


async def test_broadcast_status_counts_what_reached_the_followers(bot, engine, clock, fake_api):
    from handlers import broadcasting

    with new_session(engine) as s:
        s.add(Person(id="r-follow", name="刘阿姨", role="resident", grid_id="grid-1"))
        s.flush()
        s.add(Account(family="mp", external_id="oFollow", person_id="r-follow"))
        draft, _ = broadcasting.draft(s, actor_id="officer-1", targets=["grid-1"], text="明天上午停水，请提前储水",
                                      now=clock.now())
        broadcasting.confirm(s, broadcast_id=draft.id, actor_id="officer-1", now=clock.now())
        s.commit()
    fake_api.inject(BRIDGE, Fault.http(503))
    await bot.step()  # the sandbox group gets it, the bridge group cannot: its follower gets a template message
    assert [openid for openid, _ in templates(fake_api)] == ["oFollow"]
    with new_session(engine) as s:
        text = broadcasting.report(s, broadcast=s.get(type(draft), draft.id))
    assert "公众号模板消息（已转给本网格关注居民）1个" in text
    assert "公众号模板消息：已发给1位关注居民，排队0位，失败0位" in text
