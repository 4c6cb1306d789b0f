"""Tables for case work beyond the case itself (follow-up surveys, visit tasks, broadcasts)."""
from __future__ import annotations
