"""GET /metrics: Prometheus text with the inbox lag, the outbox backlog, lag and failures by channel and reason
class, each broadcast under way, the scheduler's runs, and histograms of classifying and handling."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.channels.base import PermanentFailure, TemporaryFailure
from bot.keys import CLOCK, ENGINE, OUTBOX, PIPELINE
from bot.web.metrics import Timings, _line
from storage.db import session as new_session
from storage.models import Broadcast, JobRun
from tests.factories import BotDriver
from tests.fakes.senders import FakeSender

pytestmark = pytest.mark.postgres
NOISE = "楼上天天半夜吵 蹦迪一样 睡不着"


@pytest.fixture
async def scripted(config, clock, engine):  # noqa: ANN001, ANN201
    """The app with a sender told what to fail (tests/fakes/senders.py), driven step by step."""
    sender = FakeSender()
    client = TestClient(TestServer(create_app(config, clock=clock, engine=engine, background=False,
                                              senders={"sandbox": sender})))
    await client.start_server()
    yield BotDriver(client), sender
    await client.close()


async def test_metrics_show_the_backlogs(bot, clock):
    await bot.say("grid-2", "resident-7", "楼上天天半夜吵 睡不着")
    clock.advance(seconds=30)
    resp = await bot.client.get("/metrics")
    text = await resp.text()
    assert resp.status == 200 and resp.content_type == "text/plain"
    assert "gridbot_inbox_pending 1" in text and "gridbot_inbox_lag_seconds 30.0" in text
    await bot.app[PIPELINE].run_once()
    text = await (await bot.client.get("/metrics")).text()
    assert "gridbot_inbox_pending 0" in text
    assert 'gridbot_outbox_rows{channel="sandbox",status="pending"} 3' in text


async def test_parked_message_counts_as_parked_not_as_lag(bot, clock):
    from tests.handlers.routines.test_digest import add_parked_message

    add_parked_message(bot.app[ENGINE], now=clock.now(), text="楼上天天半夜吵")
    clock.advance(hours=3)
    text = await (await bot.client.get("/metrics")).text()
    assert "gridbot_inbox_parked 1" in text and "gridbot_inbox_pending 0" in text
    assert "gridbot_inbox_lag_seconds 0" in text


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """The Prometheus text format, strictly: every sample line `name{k="v",…} value`, each family declared first."""
    samples, declared = {}, set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            declared.add(line.split()[2])
            continue
        if line.startswith("#") or not line:
            continue
        match = re.fullmatch(r'([a-z_]+)(?:\{((?:[a-z_]+="(?:[^"\\]|\\.)*",?)*)\})? (-?[0-9.e+]+|\+Inf)', line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        assert any(name == f or name.startswith(f + "_") for f in declared), f"{name} has no # TYPE"
        pairs = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', labels or ""))
        samples[(name, pairs)] = float(value)
    return samples


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def scrape(bot) -> dict:  # noqa: ANN001
    resp = await bot.client.get("/metrics")
    assert resp.status == 200
    return parse(await resp.text())


async def test_classifying_and_handling_are_histograms_of_each_text_and_message(bot):
    assert value(await scrape(bot), "gridbot_seconds_count", stage="handle") is None, "nothing observed yet"
    for n, text in enumerate(["大家早上好", "请问办居住证要带什么材料", "楼上天天半夜吵 睡不着"]):
        await bot.say(f"grid-{n + 1}", f"resident-{n}", text)
    await bot.app[PIPELINE].run_once()
    found = await scrape(bot)
    for stage in ("classify", "handle"):
        count = value(found, "gridbot_seconds_count", stage=stage)
        assert count == 3 and value(found, "gridbot_seconds_bucket", stage=stage, le="+Inf") == count
        buckets = [v for (name, labels), v in found.items()
                   if name == "gridbot_seconds_bucket" and ("stage", stage) in labels]
        assert buckets == sorted(buckets), "cumulative buckets"
        assert value(found, "gridbot_seconds_sum", stage=stage) > 0
    assert value(found, "gridbot_seconds_count", stage="handle_failed") is None


def test_a_timing_falls_in_the_first_bucket_it_fits():
    clock = iter([0.0, 0.004, 10.0, 10.3, 20.0, 40.0])
    timings = Timings(clock=lambda: next(clock))
    for _ in range(3):
        with timings.timer("handle"):
            pass
    found = parse("\n".join(timings.lines()))
    bounds = ("0.0025", "0.005", "0.25", "0.5", "10", "+Inf")
    assert [value(found, "gridbot_seconds_bucket", stage="handle", le=le) for le in bounds] == [0, 1, 1, 2, 2, 3]
    assert value(found, "gridbot_seconds_sum", stage="handle") == pytest.approx(20.304)


async def test_outbox_lag_and_failures_by_reason_class(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    clock.advance(seconds=20)
    found = await scrape(bot)
    assert value(found, "gridbot_outbox_lag_seconds", channel="sandbox") == 20.0
    assert value(found, "gridbot_outbox_rows", channel="sandbox", status="pending") == 3
    assert not [k for k in found if k[0] == "gridbot_outbox_failures"]
    sender.fail_next(TemporaryFailure("HTTP 500"))
    await bot.app[OUTBOX].drain_once()  # one row waits for its retry, two went out
    found = await scrape(bot)
    assert value(found, "gridbot_outbox_failures", channel="sandbox", reason="retrying") == 1
    assert value(found, "gridbot_outbox_rows", channel="sandbox", status="pending") == 1
    clock.advance(seconds=6)
    sender.fail_next(PermanentFailure("user not found 40003"))
    await bot.app[OUTBOX].drain_once()
    found = await scrape(bot)
    assert value(found, "gridbot_outbox_failures", channel="sandbox", reason="permanent") == 1
    assert value(found, "gridbot_outbox_failures", channel="sandbox", reason="retrying") is None
    assert value(found, "gridbot_outbox_lag_seconds", channel="sandbox") is None, "nothing pending"
    await bot.say("grid-2", "resident-8", "楼下天天半夜装修 吵死了")
    await bot.app[PIPELINE].run_once()
    sender.down_for.add("grid-2")
    for _ in range(10):
        await bot.app[OUTBOX].drain_once()
        clock.advance(hours=1)
    found = await scrape(bot)
    assert value(found, "gridbot_outbox_failures", channel="sandbox", reason="retries_exhausted") == 1
    assert value(found, "gridbot_outbox_rows", channel="sandbox", status="failed") == 2


async def test_broadcast_progress_until_its_drafter_is_told(scripted):
    bot, sender = scripted
    await bot.say("officer-1", "officer-1", "/broadcast grid-1,grid-2 近期冒充客服退款诈骗高发", direct=True)
    await bot.step()
    with new_session(bot.app[ENGINE]) as session:
        draft_id = session.exec(select(Broadcast.id)).one()
    assert not [k for k in await scrape(bot) if k[0] == "gridbot_broadcast_copies"], "a draft is not under way"
    await bot.say("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)
    await bot.app[PIPELINE].run_once()
    found = await scrape(bot)
    assert value(found, "gridbot_broadcast_copies", broadcast=str(draft_id), state="pending") == 2
    sender.down_for.add("grid-2")
    await bot.app[OUTBOX].drain_once()
    found = await scrape(bot)
    assert value(found, "gridbot_broadcast_copies", broadcast=str(draft_id), state="sent") == 1
    assert value(found, "gridbot_broadcast_copies", broadcast=str(draft_id), state="pending") == 1
    with new_session(bot.app[ENGINE]) as session:  # the drafter told of the outcome: no longer under way
        session.get(Broadcast, draft_id).reported_at = bot.app[CLOCK].now()
        session.commit()
    assert not [k for k in await scrape(bot) if k[0] == "gridbot_broadcast_copies"]


async def test_scheduler_runs_and_the_last_run_of_each_job(bot, clock):
    with new_session(bot.app[ENGINE]) as session:
        for job, status, minutes in (("timers", "done", 2), ("timers", "done", 1), ("digest:daily", "skipped", 5)):
            session.add(JobRun(job_id=job, scheduled_for=clock.now() - timedelta(minutes=minutes),
                               ran_at=clock.now() - timedelta(minutes=minutes), status=status))
        session.commit()
    found = await scrape(bot)
    assert value(found, "gridbot_scheduler_runs", status="done") == 2
    assert value(found, "gridbot_scheduler_runs", status="skipped") == 1
    latest = (clock.now() - timedelta(minutes=1)).timestamp()
    assert value(found, "gridbot_scheduler_last_run_timestamp_seconds", job="timers") == pytest.approx(latest)


def test_label_values_are_escaped():
    assert _line("gridbot_x", 1, job='a"b\\c\nd') == 'gridbot_x{job="a\\"b\\\\c\\nd"} 1'
    assert parse('# TYPE gridbot_x gauge\n' + _line("gridbot_x", 1, job='a"b')) == {
        ("gridbot_x", frozenset({("job", 'a\\"b')})): 1.0}
    with pytest.raises(AssertionError):
        parse("gridbot_undeclared 1")
