"""GET /metrics in the Prometheus text format: the backlogs from the database, timings from this process."""
from __future__ import annotations

import bisect
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from aiohttp import web

from bot.keys import CLOCK
from bot.outbox import MAX_ATTEMPTS
from bot.web.responses import in_db
from storage import metrics as queries


BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # seconds


@dataclass
class Timings:
    """Durations per stage as Prometheus histograms (counts per bucket, count, sum), kept in this process's memory.
    Observed from the worker's threads: a lock keeps the three figures of a stage together."""

    count: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    buckets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(BUCKETS)))
    clock: Callable[[], float] = time.perf_counter
    lock: threading.Lock = field(default_factory=threading.Lock)

    def observe(self, name: str, seconds: float) -> None:
        with self.lock:
            self.count[name] += 1
            self.total[name] += seconds
            at = bisect.bisect_left(BUCKETS, seconds)
            if at < len(BUCKETS):
                self.buckets[name][at] += 1

    def started(self) -> float:
        return self.clock()

    def since(self, started: float) -> float:
        return self.clock() - started

    def timer(self, name: str) -> "_Timer":
        return _Timer(self, name)

    def lines(self) -> list[str]:
        """The ``gridbot_seconds`` histogram: cumulative buckets, +Inf, sum and count per stage."""
        out = ["# HELP gridbot_seconds Time spent per stage in this process (classify: one text; handle: one message).",
               "# TYPE gridbot_seconds histogram"]
        with self.lock:
            for name in sorted(self.count):
                running = 0
                for bound, n in zip(BUCKETS, self.buckets[name]):
                    running += n
                    out.append(_line("gridbot_seconds_bucket", running, stage=name, le=f"{bound:g}"))
                out.append(_line("gridbot_seconds_bucket", self.count[name], stage=name, le="+Inf"))
                out.append(_line("gridbot_seconds_sum", round(self.total[name], 6), stage=name))
                out.append(_line("gridbot_seconds_count", self.count[name], stage=name))
        return out


class _Timer:
    def __init__(self, timings: Timings, name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.started = self.timings.started()

    def __exit__(self, *exc: object) -> None:
        self.timings.observe(self.name, self.timings.since(self.started))


TIMINGS = web.AppKey("timings", Timings)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _line(name: str, value: float, **labels: str) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {value}" if inner else f"{name} {value}"


def _gauge(name: str, help_text: str, samples: list[tuple[float, dict[str, str]]]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", *(_line(name, v, **labels) for v, labels in samples)]


def _age(now: datetime, then: datetime | None) -> float:
    return round(max((now - then).total_seconds(), 0.0), 3) if then else 0


async def metrics(request: web.Request) -> web.Response:
    """Who may read it: whoever reaches the port (no token), as before; deploy.md keeps it on the internal side."""
    now = request.app[CLOCK].now()

    def load(session):  # noqa: ANN001, ANN202
        return {"backlog": queries.inbox_backlog(session), "parked": queries.inbox_parked(session),
                "outbox": queries.outbox_by_channel(session), "oldest": queries.outbox_oldest_pending(session),
                "failures": queries.outbox_failures(session, max_attempts=MAX_ATTEMPTS),
                "broadcasts": queries.broadcast_progress(session), "runs": queries.job_runs_by_status(session),
                "last_runs": queries.job_last_runs(session)}

    found = await in_db(request, load)
    pending, oldest = found["backlog"]
    lines = [
        *_gauge("gridbot_inbox_pending", "Messages stored but not yet handled.", [(pending, {})]),
        *_gauge("gridbot_inbox_parked", "Messages parked after their last try (gridbot inbox list).",
                [(found["parked"], {})]),
        *_gauge("gridbot_inbox_lag_seconds", "Age of the oldest unhandled message.", [(_age(now, oldest), {})]),
        *_gauge("gridbot_outbox_rows", "Outbox rows waiting (pending) or given up (failed), by channel.",
                [(n, {"channel": c, "status": s}) for c, s, n in sorted(found["outbox"])]),
        *_gauge("gridbot_outbox_lag_seconds", "Age of the oldest pending outbox row, by channel.",
                [(_age(now, at), {"channel": c}) for c, at in sorted(found["oldest"])]),
        *_gauge("gridbot_outbox_failures", "Outbox rows by failure class and channel: failed for good (permanent, "
                "retries_exhausted) or pending after a failed or throttled try (retrying).",
                [(n, {"channel": c, "reason": r}) for c, r, n in sorted(found["failures"])]),
        *_gauge("gridbot_broadcast_copies", "Copies of each confirmed broadcast not yet reported to its drafter, "
                "by state (pending, sent, failed).",
                [(n, {"broadcast": str(b), "state": s}) for b, s, n in sorted(found["broadcasts"])]),
        *_gauge("gridbot_scheduler_runs", "Scheduled runs recorded, by outcome.",
                [(n, {"status": s}) for s, n in sorted(found["runs"])]),
        *_gauge("gridbot_scheduler_last_run_timestamp_seconds", "When each scheduled job last ran (Unix time).",
                [(round(at.timestamp(), 3), {"job": j}) for j, at in sorted(found["last_runs"])]),
        *request.app[TIMINGS].lines(),
    ]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain", charset="utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})


def add_routes(app: web.Application) -> None:
    app[TIMINGS] = Timings()
    app.router.add_get("/metrics", metrics)
