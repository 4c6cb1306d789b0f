"""/stats, the daily digest and the Friday agenda on a seeded history (bench/stats_seed.py: 400 recent cases of
every kind and status over 45 days, 600 old closed ones): the figures and the texts as they were when each case
was loaded into Python, pinned so that computing them in SQL changes nothing, on SQLite and PostgreSQL.
tests/data/figures_expected.json holds the texts; the key figures are written out here."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from bench.stats_seed import seed_cases
from handlers import reports
from handlers.cases import week
from handlers.commands.stats import stats_text
from handlers.routines import agenda, digest
from storage.db import session as new_session
from storage.models import Outbox, Person
from storage.sync import sync_community
from tests.factories import DIRECT

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)  # a Friday, 10:00 in Asia/Shanghai
EXPECTED = Path(__file__).resolve().parent.parent / "data" / "figures_expected.json"


@pytest.fixture
def seeded(engine, config):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        sync_community(s, config=config, now=NOW - timedelta(days=800), direct=DIRECT)
        s.commit()
    seed_cases(engine, now=NOW, recent=400, old=600)
    with new_session(engine) as s:
        yield s


def outputs(session, config) -> dict:  # noqa: ANN001
    """Every text the three features produce on the seeded history."""
    found = {}
    for name, period_text, grid in (("month", "本月", None), ("last_month", "上月", None), ("grid2", "本月", "grid-2"),
                                    ("quarter", "2026-09-01..2026-11-30", None)):
        period = reports.parse_period(period_text, now=NOW, tz=config.tz)
        figures = reports.figures(session, period=period, tz=config.tz, grid_ids=[grid] if grid else None)
        found[f"stats:{name}"] = stats_text(figures, scope=grid or "全部")
        found[f"grids:{name}"] = json.dumps({str(g): _tally(t) for g, t in sorted(figures.by_grid.items(), key=str)})
        found[f"weeks:{name}"] = json.dumps([figures.weeks, figures.per_week, figures.statuses], sort_keys=True)
    [schedule] = [s for s in config.schedules if s.kind == "digest"]
    digest.send_digests(session, config=config, schedule=schedule, run_key="regression", since=NOW - timedelta(days=1),
                        now=NOW)
    for row in session.exec(select(Outbox).where(Outbox.kind == "digest").order_by(Outbox.chat_id)):
        found[f"digest:{row.chat_id}"] = row.text
    for person_id in ("officer-1", "officer-2", "mediator-property", "admin-1"):
        person = session.get(Person, person_id)
        found[f"agenda:{person_id}"] = agenda.draft_for(session, config=config, person=person, now=NOW)
        page = week.week_page(session, config=config, person=person, now=NOW)
        found[f"week:{person_id}"] = json.dumps(
            {"by_mediator": {k: [i.id for i in v] for k, v in page.by_mediator.items()},
             "awaiting": [i.id for i in page.awaiting_consent], "past": [(w, [i.id for i in v]) for w, v in page.past]},
            ensure_ascii=False)
    session.rollback()
    return found


def _tally(t: reports.Tally) -> list:
    hours = [None if h is None else round(h, 4) for h in (t.median_response_hours, t.median_resolution_hours)]
    return [t.total, t.done, t.reopened, t.answered, t.happy, *hours]


def test_figures_of_a_seeded_history_are_unchanged(seeded, config):
    period = reports.parse_period("本月", now=NOW, tz=config.tz)
    found = reports.figures(seeded, period=period, tz=config.tz)
    overall = found.overall
    assert (overall.total, overall.done, overall.reopened, overall.answered, overall.happy) == (243, 108, 8, 74, 47)
    assert overall.median_response_hours == pytest.approx(12.994696, abs=1e-5)
    assert overall.median_resolution_hours == pytest.approx(108.984322, abs=1e-5)
    by_kind = {k: (t.total, t.done, t.reopened, t.answered, t.happy) for k, t in found.by_kind.items()}
    assert by_kind == {"dispute": (93, 42, 4, 28, 21), "inquiry": (74, 31, 4, 22, 12), "fraud": (50, 26, 0, 17, 11),
                       "help": (26, 9, 0, 7, 3)}
    assert found.by_kind["fraud"].median_response_hours == pytest.approx(11.318086, abs=1e-5)
    assert found.by_kind["help"].median_resolution_hours == pytest.approx(169.172678, abs=1e-5)
    misread = {k: (m.opened, m.false_alarms, m.rerouted) for k, m in found.misread.items()}
    assert misread == {"dispute": (59, 1, 0), "inquiry": (51, 3, 3), "fraud": (33, 0, 3), "help": (18, 0, 2)}
    assert sum(found.by_grid[g].total for g in found.by_grid) == 243 and None in found.by_grid
    assert outputs(seeded, config) == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_a_long_agenda_lists_its_first_items_and_counts_the_rest(seeded, config):
    admin = seeded.get(Person, "admin-1")
    text = agenda.draft_for(seeded, config=config, person=admin, now=NOW, limit=3)
    assert "议程将包括以下70件" in text, "the header counts every item"
    assert text.count("号 ") == 3 and text.endswith("…另有67件，见管理后台“周五议程”页")
    full = json.loads(EXPECTED.read_text(encoding="utf-8"))["agenda:admin-1"]
    numbered = dict(re.findall(r"^(\d+)\. (\d+)号", full, flags=re.M))
    assert [no for no, _ in re.findall(r"^(\d+)\. (\d+)号", text, flags=re.M)] == ["1", "2", "3"]
    assert all(f"{numbered[no]}号" in text for no in ("1", "2", "3")), "the first three of the whole agenda"
    page = week.week_page(seeded, config=config, person=admin, now=NOW, listed=4)
    assert sum(len(v) for v in page.by_mediator.values()) == 4 and page.more == 66


def test_an_agenda_within_its_limit_says_nothing_more(seeded, config):
    officer = seeded.get(Person, "officer-2")
    text = agenda.draft_for(seeded, config=config, person=officer, now=NOW)
    assert "另有" not in text
    assert week.week_page(seeded, config=config, person=officer, now=NOW).more == 0


def test_with_consent_required_only_consented_disputes_are_on_the_agenda(seeded, config):
    from storage.models import MediationConsent

    gated = config.model_copy(update={"friday": config.friday.model_copy(update={"require_consent": True})})
    admin = seeded.get(Person, "admin-1")
    listed = agenda.compile_agenda(seeded, config=gated, now=NOW, gate=False)
    both, one = listed[5].case.id, listed[6].case.id
    for case_id, parties in ((both, ("applicant", "respondent")), (one, ("applicant",))):
        for party in parties:
            seeded.add(MediationConsent(case_id=case_id, party=party, name="张三", recorded_by="officer-1",
                                        consented_at=NOW))
    seeded.flush()
    assert [e.case.id for e in agenda.compile_agenda(seeded, config=gated, now=NOW)] == [both]
    assert agenda.count_agenda(seeded, config=gated, now=NOW) == 1
    page = week.week_page(seeded, config=gated, person=admin, now=NOW)
    assert [i.id for v in page.by_mediator.values() for i in v] == [both]
    assert len(page.awaiting_consent) == 69 and one in [i.id for i in page.awaiting_consent]
