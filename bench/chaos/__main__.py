"""`python -m bench.chaos [--short] [--backend sqlite|postgresql|both] [--seed N]`: exit 1 when anything accepted
was lost, handled twice or delivered twice."""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.chaos.cluster import SECRET, Cluster, write_config
from bench.chaos.database import ChaosDatabase
from bench.chaos.gateway import SlowGateway
from bench.chaos.load import run_load
from bench.chaos.report import examine, pending_work, summary


@dataclass(frozen=True)
class Plan:
    processes: int
    messages: int
    seconds: float  # the load's length
    kill_every: tuple[float, float]  # seconds between two SIGKILLs, uniformly drawn
    outage_seconds: float
    settle_seconds: float  # after the load: time allowed for the backlog to drain


# About a message a second into 12 groups: within the bridge's 20 messages per chat per minute (a limit that
# protects the station's WeChat account), so that lateness measures faults, not the rate limit.
LONG = Plan(processes=3, messages=360, seconds=360, kill_every=(4, 10), outage_seconds=5, settle_seconds=180)
SHORT = Plan(processes=2, messages=45, seconds=40, kill_every=(5, 9), outage_seconds=3, settle_seconds=45)


async def chaos(cluster: Cluster, db: ChaosDatabase, plan: Plan, rng: random.Random, until: asyncio.Event,
                disruptions: list[tuple[float, float]], notes: list[str]) -> None:
    """SIGKILL a random ready process every few seconds and start it again (same port: the same instance), and
    take the database away once, 40 % into the load."""
    outage_at = time.monotonic() + plan.seconds * 0.4
    restarts: list[asyncio.Task] = []
    while not until.is_set():
        try:
            await asyncio.wait_for(until.wait(), timeout=rng.uniform(*plan.kill_every))
            break
        except asyncio.TimeoutError:
            pass
        if outage_at and time.monotonic() >= outage_at:
            outage_at = 0
            start = time.time()
            notes.append(await asyncio.to_thread(db.outage, plan.outage_seconds))
            disruptions.append((start, time.time() + 30))  # sends cut short by it settle within a lease
            continue
        ready = cluster.ready()
        if not ready:
            continue
        victim = rng.choice(ready)
        await cluster.kill(victim)
        disruptions.append((time.time(), time.time() + 30))  # its leased rows: resent within a lease
        restarts.append(asyncio.create_task(restart_later(cluster, victim, rng.uniform(0, 2))))
    await asyncio.gather(*restarts)


async def restart_later(cluster: Cluster, i: int, delay: float) -> None:
    await asyncio.sleep(delay)
    await cluster.start(i)


async def settle(url: str, msg_ids: list[str], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds and pending_work(url, msg_ids):
        await asyncio.sleep(1)
    return time.monotonic() - started


async def run(backend: str, plan: Plan, seed: int) -> bool:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="gridbot-chaos-") as tmp:
        folder = Path(tmp)
        db = ChaosDatabase(backend, folder)
        db.create()
        gateway = SlowGateway(secret=SECRET)
        config = write_config(folder, url=db.url, outbound_url=await gateway.start())
        cluster = Cluster(config, folder, plan.processes)
        try:
            await cluster.migrate()
            startup = await asyncio.gather(*(cluster.start(i) for i in range(plan.processes)))  # all at once
            done, disruptions, notes = asyncio.Event(), [], []
            chaos_task = asyncio.create_task(chaos(cluster, db, plan, rng, done, disruptions, notes))
            sent = await run_load(cluster, messages=plan.messages, seconds=plan.seconds, seed=seed)
            done.set()
            await chaos_task
            waited = await settle(db.url, [m.msg_id for m in sent], plan.settle_seconds)
            await cluster.stop_all()
            found = examine(db.url, sent, gateway, disruptions)
        finally:
            await cluster.stop_all()
            await gateway.close()
            db.drop()
    print(f"== chaos, {backend}: {plan.processes} gridbot serve processes, {plan.messages} messages over "
          f"{plan.seconds:.0f} s, {len(cluster.kills)} SIGKILLs, database outage: {'; '.join(notes) or 'none'}, "
          f"gateway {gateway.delay[0]}-{gateway.delay[1]} s a send ({gateway.stall:.0f} s for 1 in "
          f"{gateway.stall_every}), seed {seed}")
    print(f"start-up {max(startup):.1f} s; backlog drained {waited:.0f} s after the load")
    for line in summary(found):
        print(line)
    return found.ok


def postgres_answers() -> bool:
    try:
        ChaosDatabase("postgresql", Path(".")).connect().close()
        return True
    except psycopg.Error:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos")
    parser.add_argument("--short", action="store_true", help="the CI version: under two minutes")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if "postgresql" in backends and not postgres_answers():
        print("chaos: no PostgreSQL answers: SQLite only")
        backends = tuple(b for b in backends if b != "postgresql") or ("sqlite",)
    results = [asyncio.run(run(backend, SHORT if args.short else LONG, args.seed)) for backend in backends]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
