"""Anti-fraud data: the group warning for each scam type, and telling a pasted scam advert from a resident
asking about one."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from handlers.nlu.normalize import normalize

DATA = Path(__file__).resolve().parent / "data" / "fraud_templates.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def warning_for(scam_type: str | None) -> str:
    templates = _data()["templates"]
    return templates.get(scam_type or "other") or templates["other"]


def is_scam_advert(text: str, *, phones: tuple[str, ...] = ()) -> bool:
    """A scam advert offers easy money with a way to get in touch, and is not someone asking about one."""
    rules = _data()["advert"]
    low = normalize(text).lower().replace(" ", "")
    if any(word in low for word in rules["asking_words"]):
        return False
    offers = sum(1 for word in rules["offer_words"] if word in low)
    contact = bool(phones) or any(word in low for word in rules["contact_words"])
    return contact and offers >= rules["min_offer_words"]
