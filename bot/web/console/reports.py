"""The reports page: the figures of handlers/reports.py for a date range and grid, in tables and charts."""
from __future__ import annotations

from datetime import date

from aiohttp import web
from markupsafe import Markup

from bot.keys import CONFIG
from bot.web.console import charts
from bot.web.console.common import now as clock_now
from bot.web.console.common import read, render, user
from handlers import reports, scope, texts
from handlers.commands.stats import hours, percent
from storage import roster


def period_from(request: web.Request, tz) -> reports.Period:  # noqa: ANN001
    """?since=&until= (local dates, both inclusive); this month when either is missing or wrong."""
    try:
        first, last = date.fromisoformat(request.query["since"]), date.fromisoformat(request.query["until"])
        if first <= last:
            return reports.period_of_days(first, last, tz)
    except (KeyError, ValueError):
        pass
    return reports.month_of(clock_now(request).astimezone(tz).date(), tz)


async def reports_page(request: web.Request) -> web.Response:
    config, person = request.app[CONFIG], user(request).person
    period = period_from(request, config.tz)
    grid_id = request.query.get("grid_id") or None

    def load(session):  # noqa: ANN001, ANN202
        visible = scope.visible_grids(session, person)
        grids = [g for g in roster.all_grids(session) if visible is None or g.id in visible]
        chosen = [grid_id] if grid_id else None
        found = reports.figures(session, period=period, tz=config.tz, grid_ids=chosen,
                                scope=scope.visible_clause(session, person))
        return found, grids
    found, grids = await read(request, load)
    names = {g.id: g.name for g in grids}
    kinds = [k for k in reports.KINDS if k in found.by_kind]
    rows = [_row(texts.KIND_NAMES[k], found.by_kind[k]) for k in kinds] + [_row("合计", found.overall)]
    grid_rows = [_row(names.get(g, texts.UNGRIDDED), t) for g, t in sorted(found.by_grid.items(), key=lambda x: x[0] or "")]
    week_chart = charts.stacked_weeks(found.weeks, {k: found.per_week.get(k, {}) for k in reports.KINDS},
                                      texts.KIND_NAMES)
    resolution_chart = charts.rate_bars([(texts.KIND_NAMES[k], found.by_kind[k].resolution_rate,
                                          percent(found.by_kind[k].done, found.by_kind[k].total)) for k in kinds],
                                        "化解率（按类型）")
    answered = [k for k in kinds if found.by_kind[k].answered]
    satisfaction_chart = charts.rate_bars(
        [(texts.KIND_NAMES[k], found.by_kind[k].satisfaction_rate, percent(found.by_kind[k].happy, found.by_kind[k].answered))
         for k in answered], "回访满意率（按类型）") if answered else ""
    timed = [(k, found.by_kind[k]) for k in kinds]
    longest = max([t.median_resolution_hours or 0 for _, t in timed] + [t.median_response_hours or 0 for _, t in timed]
                  + [1e-9])
    time_chart = charts.rate_bars(
        [row for k, t in timed for row in (
            (f"{texts.KIND_NAMES[k]}·响应", (t.median_response_hours or 0) / longest, hours(t.median_response_hours)),
            (f"{texts.KIND_NAMES[k]}·化解", (t.median_resolution_hours or 0) / longest, hours(t.median_resolution_hours)))],
        "首次响应与化解用时（中位）") if timed else ""
    misread = [(texts.KIND_NAMES[k], m.opened, percent(m.false_alarms, m.opened), m.rerouted)
               for k in reports.KINDS if (m := found.misread.get(k)) and m.opened]
    return render(request, "reports.html", f=found, rows=rows, grid_rows=grid_rows, grids=grids, grid_id=grid_id,
                  misread=misread,
                  charts=[("每周登记案件（按类型）", Markup(week_chart)), ("化解率（按类型）", Markup(resolution_chart)),
                          ("回访满意率（按类型）", Markup(satisfaction_chart)),
                          ("首次响应与化解用时（中位）", Markup(time_chart))],
                  since=period.first_day.isoformat(), until=period.last_day.isoformat())


def _row(label: str, tally: reports.Tally) -> tuple:
    return (label, tally.total, percent(tally.done, tally.total), percent(tally.happy, tally.answered),
            hours(tally.median_response_hours), hours(tally.median_resolution_hours), tally.reopened)
