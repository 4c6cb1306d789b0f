"""A scheduled safety notice to grids is for every resident of them (its copies may reach the grids' followers
of the Official Account when a group cannot be reached: bot/follower_notices.py); one to tagged groups is not."""
from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.routines.notices import post_notices
from storage.db import session as new_session
from storage.followers import for_every_resident
from storage.models import Outbox
from storage.sync import sync_community
from tests.factories import DIRECT

pytestmark = pytest.mark.postgres


RUN = for_every_resident("notice:test:1")  # meant for every resident, from this notice run


@pytest.mark.parametrize(("targets", "hint"), [(["all"], RUN), (["grid-3"], RUN), (["tag:商铺"], {})])
def test_a_notice_to_grids_is_for_every_resident_one_to_tagged_groups_is_not(engine, config, clock, targets, hint):
    schedule = next(s for s in config.schedules if s.id.startswith("anti-fraud")).model_copy(update={"targets": targets})
    with new_session(engine) as s:
        sync_community(s, config=config, now=clock.now(), direct=DIRECT)
        assert post_notices(s, schedule=schedule, run_key="notice:test:1", now=clock.now()) >= 1
        s.commit()
    with new_session(engine) as s:
        hints = [row.reply_hint for row in s.exec(select(Outbox).where(Outbox.kind == "notice"))]
    assert hints and hints == [hint] * len(hints)
