"""/stats [GRID] [PERIOD]: cases by kind and status, each kind's resolution and satisfaction rates, time to first
response and to resolution, and the bot's false-alarm rate per kind (cases closed 误报 among those it opened),
for a stated period (this month unless given). Reopened cases count once."""
from __future__ import annotations

from handlers import reports, texts
from handlers.commands.common import grid_choices
from handlers.context import Context
from handlers.households.stats import household_stats
from handlers.roles import OFFICERS
from handlers.router import Router
from storage.models import Grid

router = Router("stats")


@router.command("stats", usage="/stats [网格编号] [期间]",
                summary="案件统计：各类型数量、化解率、满意率、响应和化解用时（期间如 本月、上月、30天、2026-11）",
                roles=OFFICERS)
def on_stats(ctx: Context) -> None:
    words = ctx.call.args.split()
    grid = ctx.session.get(Grid, words[0]) if words else None
    rest = words[1:] if grid else words
    period = reports.parse_period(rest[0] if rest else "", now=ctx.now, tz=ctx.config.tz) if len(rest) <= 1 else None
    if period is None:
        if grid is None and reports.parse_period(words[0], now=ctx.now, tz=ctx.config.tz) is None:
            ctx.reply(texts.UNKNOWN_GRID.format(grid=words[0], grids=grid_choices(ctx)))
        else:
            ctx.reply(texts.STATS_BAD_PERIOD.format(period=" ".join(rest)))
        return
    found = reports.figures(ctx.session, period=period, tz=ctx.config.tz, grid_ids=[grid.id] if grid else None)
    ctx.reply("\n".join([stats_text(found, scope=grid.name if grid else texts.STATS_ALL),
                         *household_stats(ctx.session, config=ctx.config, now=ctx.now,
                                          grid_id=grid.id if grid else None)]))


def stats_text(found: reports.Figures, *, scope: str) -> str:
    overall = found.overall
    lines = [texts.STATS_HEADER.format(scope=scope, period=found.period.label, total=overall.total)]
    for kind in reports.KINDS:
        tally = found.by_kind.get(kind)
        if not tally:
            continue
        statuses = "、".join(f"{texts.STATUS_NAMES.get(s, s)}{n}" for s, n in sorted(found.statuses[kind].items()))
        lines.append(texts.STATS_KIND_LINE.format(
            kind=texts.KIND_NAMES[kind], count=tally.total, statuses=statuses, **_rates(tally)))
    misread = [texts.STATS_FALSE_ALARM_KIND.format(kind=texts.KIND_NAMES[kind], rerouted=m.rerouted,
                                                   rate=percent(m.false_alarms, m.opened))
               for kind in reports.KINDS if (m := found.misread.get(kind)) and m.opened]
    if misread:
        lines.append(texts.STATS_FALSE_ALARMS.format(lines="；".join(misread)))
    lines.append(texts.STATS_RATES.format(**_rates(overall)))
    if overall.reopened:
        lines.append(texts.STATS_REOPENED.format(n=overall.reopened))
    return "\n".join(lines)


def _rates(tally: reports.Tally) -> dict[str, str]:
    return {"resolution": percent(tally.done, tally.total), "satisfaction": percent(tally.happy, tally.answered),
            "response": hours(tally.median_response_hours), "avg": hours(tally.median_resolution_hours)}


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%（{part}/{whole}）" if whole else texts.STATS_NONE


def hours(value: float | None) -> str:
    if value is None:
        return texts.STATS_NONE
    if value >= 24:
        return texts.DURATION_DAYS.format(n=value / 24)
    return texts.DURATION_HOURS.format(n=value) if value >= 1 else texts.DURATION_MINUTES.format(n=value * 60)
