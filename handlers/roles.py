"""Who may do what: the role sets every route and rule uses, defined once."""
from __future__ import annotations

from storage.models import Role

EVERYONE = frozenset(Role)
OFFICERS = frozenset({Role.OFFICER, Role.ADMIN})  # may change cases, broadcast, teach scam words
HOLDERS = OFFICERS | {Role.MEDIATOR}  # may hold a case in hand: take, resolve, escalate, reply
STAFF = HOLDERS | {Role.GRID_WORKER}  # may read cases and add notes
ASSIGNABLE = STAFF  # may be given a case
ACKERS = HOLDERS  # whose action on a help call counts as acknowledging it
POLICE = frozenset({Role.OFFICER})  # read residents' raw numbers in cards; mediators, workers read them masked
