"""Tables for scheduled work (fired runs, notice rotation, agenda items)."""
from __future__ import annotations
