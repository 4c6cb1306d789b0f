"""Numbers people type or put in a URL for a case, a broadcast, a task: ASCII or full-width digits only, within
what the database's integer ids hold. ``"²".isdigit()`` is True and ``int("²")`` raises; 10**20 overflows the
column: both must be a usage answer, not a crash (docs/reliability.md, "Edge: input and sandbox")."""
from __future__ import annotations

MAX_ID = 2**31 - 1  # the largest INTEGER id on PostgreSQL and on SQLite
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_id(raw: object) -> int | None:
    """The id ``raw`` names (``12``, ``#12``, ``１２``), or None when it is not one (``²``, ``0``, ``1e3``, 10**20)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip().translate(_FULL_WIDTH).removeprefix("#")
    if not text or len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
