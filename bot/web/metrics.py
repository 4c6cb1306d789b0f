"""GET /metrics in the Prometheus text format: the backlogs from the database, timings from this process."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from aiohttp import web

from bot.keys import CLOCK
from bot.web.responses import in_db
from storage import metrics as queries


@dataclass
class Timings:
    """Counts and sums of durations per name (a Prometheus summary without quantiles), kept in memory."""

    count: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def observe(self, name: str, seconds: float) -> None:
        self.count[name] += 1
        self.total[name] += seconds

    def timer(self, name: str) -> "_Timer":
        return _Timer(self, name)


class _Timer:
    def __init__(self, timings: Timings, name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings.observe(self.name, time.perf_counter() - self.started)


TIMINGS = web.AppKey("timings", Timings)


def _line(name: str, value: float, **labels: str) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {value}" if inner else f"{name} {value}"


async def metrics(request: web.Request) -> web.Response:
    now = request.app[CLOCK].now()

    def load(session):  # noqa: ANN001, ANN202
        return (queries.inbox_backlog(session), queries.inbox_parked(session), queries.outbox_by_channel(session),
                queries.job_runs_by_status(session))

    (pending, oldest), parked, outbox, runs = await in_db(request, load)
    lines = ["# HELP gridbot_inbox_pending Messages stored but not yet handled.", "# TYPE gridbot_inbox_pending gauge",
             _line("gridbot_inbox_pending", pending),
             "# HELP gridbot_inbox_parked Messages parked after their last try (gridbot inbox list).",
             "# TYPE gridbot_inbox_parked gauge", _line("gridbot_inbox_parked", parked),
             "# HELP gridbot_inbox_lag_seconds Age of the oldest unhandled message.",
             "# TYPE gridbot_inbox_lag_seconds gauge",
             _line("gridbot_inbox_lag_seconds", round((now - oldest).total_seconds(), 3) if oldest else 0),
             "# HELP gridbot_outbox_rows Outbox rows waiting (pending) or given up (failed), by channel.",
             "# TYPE gridbot_outbox_rows gauge"]
    lines += [_line("gridbot_outbox_rows", n, channel=c, status=s) for c, s, n in sorted(outbox)]
    lines += ["# HELP gridbot_scheduler_runs Scheduled runs recorded, by outcome.", "# TYPE gridbot_scheduler_runs gauge"]
    lines += [_line("gridbot_scheduler_runs", n, status=s) for s, n in sorted(runs)]
    timings = request.app[TIMINGS]
    lines += ["# HELP gridbot_seconds Time spent per stage in this process.", "# TYPE gridbot_seconds summary"]
    for name in sorted(timings.count):
        lines.append(_line("gridbot_seconds_count", timings.count[name], stage=name))
        lines.append(_line("gridbot_seconds_sum", round(timings.total[name], 6), stage=name))
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain", charset="utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})


def add_routes(app: web.Application) -> None:
    app[TIMINGS] = Timings()
    app.router.add_get("/metrics", metrics)
