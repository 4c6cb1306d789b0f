"""/stats [GRID]: cases by kind and status, resolution and satisfaction rates, time to resolve."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Sequence

from handlers import texts
from handlers.commands.common import grid_choices
from handlers.context import Context
from handlers.households.stats import household_stats
from handlers.roles import OFFICERS
from handlers.router import Router
from storage import cases, surveys
from storage.models import Case, Grid

router = Router("stats")
DONE = ("resolved", "closed")


@router.command("stats", usage="/stats [网格编号]", summary="案件统计：类型、状态、化解率、满意率、用时", roles=OFFICERS)
def on_stats(ctx: Context) -> None:
    call = ctx.call
    grid_id = call.args.strip() or None
    grid = ctx.session.get(Grid, grid_id) if grid_id else None
    if grid_id and grid is None:
        grids = grid_choices(ctx)
        ctx.reply(texts.UNKNOWN_GRID.format(grid=grid_id, grids=grids))
        return
    found = cases.list_cases(ctx.session, grid_id=grid_id, limit=100_000)
    ctx.reply("\n".join([stats_text(ctx, found, scope=grid.name if grid else texts.STATS_ALL),
                         *household_stats(ctx.session, config=ctx.config, now=ctx.now, grid_id=grid_id)]))


def stats_text(ctx: Context, found: Sequence[Case], *, scope: str) -> str:
    lines = [texts.STATS_HEADER.format(scope=scope, total=len(found))]
    by_kind: dict[str, Counter] = {}
    for case in found:
        by_kind.setdefault(case.kind, Counter())[case.status] += 1
    for kind, statuses in sorted(by_kind.items()):
        parts = "、".join(f"{texts.STATUS_NAMES.get(s, s)}{n}" for s, n in sorted(statuses.items()))
        lines.append(texts.STATS_KIND_LINE.format(kind=texts.KIND_NAMES.get(kind, kind),
                                                  count=sum(statuses.values()), statuses=parts))
    done = [c for c in found if c.status in DONE]
    answered = surveys.answered_surveys(ctx.session, case_ids=[c.id for c in found]) if found else []
    happy = [s for s in answered if s.satisfaction in ("satisfied", "basic")]
    times = [c.resolved_at - c.created_at for c in found if c.resolved_at]
    lines.append(texts.STATS_RATES.format(
        resolution=_percent(len(done), len(found)), satisfaction=_percent(len(happy), len(answered)),
        avg=_duration(sum(times, timedelta()) / len(times)) if times else texts.STATS_NONE))
    return "\n".join(lines)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%（{part}/{whole}）" if whole else texts.STATS_NONE


def _duration(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return texts.DURATION_DAYS.format(n=hours / 24) if hours >= 24 else texts.DURATION_HOURS.format(n=hours)
