"""A household record as the console's edit forms show it to one reader, and what a submitted form changes.

The police see every value whole. Everyone else (grid workers) sees names and notes masked and the address and
phones not at all: those fields are empty, with the masked value as a hint, and an empty field leaves the
value as it is. A field is changed only when what comes back differs from what was shown, so a masked value
is never written back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from handlers import texts
from handlers.households.schedule import DAILY
from handlers.privacy import mask_address, mask_personal, name_for_reader
from handlers.roles import POLICE


@dataclass(frozen=True)
class Field:
    value: str
    hint: str = ""


def _police(reader: Any) -> bool:
    return getattr(reader, "role", None) in POLICE


def _hidden(raw: str, masked: str, reader: Any) -> Field:
    if _police(reader):
        return Field(raw)
    return Field("", f"{masked}（{texts.CONSOLE_PHONE_KEEP}）" if raw else texts.CONSOLE_PHONE_KEEP)


def days_text(days: str) -> str:
    """The stored schedule as an officer types it: 每天, 周一、周三、周五, or empty (不探访)."""
    if days == DAILY:
        return texts.CHECKIN_DAILY
    return "、".join("周" + texts.WEEKDAY_NAMES[int(d) - 1] for d in days.split(",") if d)


def household_fields(record: dict[str, Any], reader: Any) -> dict[str, Field]:
    return {"address": _hidden(record["address"], mask_address(record["address"]), reader),
            "phone": _hidden(record["phone"], mask_personal(record["phone"]), reader),
            "note": Field(record["note"] if _police(reader) else mask_personal(record["note"]))}


def resident_fields(resident: dict[str, Any], reader: Any) -> dict[str, Field]:
    wait = resident.get("checkin_wait_hours")
    return {"name": Field(name_for_reader(resident["name"], reader)),
            "salutation": Field(resident["salutation"]),
            "phone": _hidden(resident["phone"], mask_personal(resident["phone"]), reader),
            "caretaker_id": Field(resident["caretaker_id"] or ""),
            "checkin_days": Field(days_text(resident["checkin_days"])),
            "checkin_time": Field(resident["checkin_time"]),
            "checkin_wait_hours": Field("" if wait is None else str(wait)),
            "note": Field(resident["note"] if _police(reader) else mask_personal(resident["note"]))}


def changes(submitted: Mapping[str, str], shown: Mapping[str, Field], names: tuple[str, ...]) -> dict[str, str]:
    """The fields of ``names`` whose submitted text differs from what the form showed."""
    return {name: submitted[name] for name in names
            if name in submitted and name in shown and submitted[name] != shown[name].value}


def wait_hours(text: str) -> Any:
    """The form's 等待小时: empty → None (the config's default), digits → a number, anything else as typed (the
    edit refuses it with its reason)."""
    return None if not text else int(text) if text.isdigit() else text
