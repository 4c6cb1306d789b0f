"""Personal data in text: the one masking function every public text, staff card for non-police roles, list
view and log line goes through."""
from __future__ import annotations

from handlers.nlu.entities import mask_personal

__all__ = ["mask_personal"]
