"""FAQ candidates for the daily digest: inquiry cases answered with the same officer reply at least twice
(the same words, give or take spaces and punctuation), not yet learned, with a new such reply since the
last digest — so each suggestion comes once, when the second (or a later) answer was given."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Sequence

from sqlmodel import Session

from handlers import texts
from handlers.privacy import mask_personal
from storage import cases
from storage import faq as store

LOOK_BACK = timedelta(days=30)
_NOISE = re.compile(r"[\s，,。.！!？?；;：:、“”\"'（）()]+")


def suggestions(session: Session, *, grid_ids: Sequence[str], since: datetime, now: datetime) -> list[str]:
    """Digest lines, one per reply given to two or more inquiry cases."""
    groups: dict[str, dict] = {}
    for case, event in cases.replied_inquiries(session, since=now - LOOK_BACK, grid_ids=grid_ids):
        key = _NOISE.sub("", event.detail)
        if len(key) < 4:
            continue
        group = groups.setdefault(key, {"reply": event.detail, "cases": [], "newest": event.at})
        if case.id not in group["cases"]:
            group["cases"].append(case.id)
        group["newest"] = max(group["newest"], event.at)
    learned = store.learned_case_ids(session, case_ids=[c for g in groups.values() for c in g["cases"]])
    lines = []
    for group in groups.values():
        ids = group["cases"]
        if len(ids) >= 2 and group["newest"] > since and not learned & set(ids):
            reply = mask_personal(group["reply"].replace("\n", " "))
            lines.append(texts.DIGEST_FAQ_LINE.format(cases="、".join(map(str, ids)), case=ids[-1],
                                                      reply=reply if len(reply) <= 40 else reply[:40] + "…"))
    return lines
