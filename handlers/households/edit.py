"""Editing a resident's record (for the console): only the grid's staff, only these fields, values checked as
the import checks them, every edit audited. A changed schedule is computed afresh by the timers."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.households.access import PHONE, may_see, normalize_phone
from handlers.households.schedule import parse_days, parse_time
from storage.models import AuditEntry, Household, Person, Resident

HOUSEHOLD_EDITABLE = ("address", "phone", "note")
EDITABLE = ("phone", "salutation", "flags", "caretaker_id", "checkin_days", "checkin_time", "checkin_wait_hours",
            "note")


class EditRefused(ValueError):
    """The edit is not allowed or a value is wrong; the message says which (in Chinese, for the console)."""


def edit_resident(session: Session, *, resident_id: int, changes: dict[str, Any], editor: Person,
                  now: datetime) -> Resident:
    resident = session.get(Resident, resident_id)
    household = session.get(Household, resident.household_id) if resident else None
    if household is None or not may_see(session, editor, household):
        raise EditRefused(texts.HOUSEHOLD_UNKNOWN.format(household=resident_id))
    values = {name: _checked(session, name, value) for name, value in changes.items()}
    before = (resident.checkin_days, resident.checkin_time)
    for name, value in values.items():
        setattr(resident, name, value)
    if (resident.checkin_days, resident.checkin_time) != before:
        resident.next_checkin_at = None
    session.add(resident)
    session.add(AuditEntry(at=now, actor_id=editor.id, action="edit_resident",
                           detail=f"{household.id} #{resident.id}: {', '.join(sorted(values))}"))
    return resident


def _checked(session: Session, name: str, value: Any) -> Any:
    if name not in EDITABLE:
        raise EditRefused(f"不能修改“{name}”")
    try:
        if name == "flags":
            if not isinstance(value, list) or any(f not in texts.FLAG_NAMES for f in value):
                raise ValueError(f"标签只能是：{'、'.join(texts.FLAG_NAMES)}")
            return list(dict.fromkeys(value))
        if name == "caretaker_id":
            if value and session.get(Person, value) is None:
                raise ValueError(f"“{value}”不在人员名单里")
            return value or None
        if name == "checkin_days":
            return parse_days(str(value)) if value else ""
        if name == "checkin_time":
            return parse_time(str(value)) if value else ""
        if name == "checkin_wait_hours":
            if value is not None and (not isinstance(value, int) or not 1 <= value <= 24):
                raise ValueError("等待小时应是1到24的整数")
            return value
        return _phone(str(value)) if name == "phone" else str(value)[:500]
    except ValueError as exc:
        raise EditRefused(str(exc)) from None


def edit_household(session: Session, *, household_id: str, changes: dict[str, str], editor: Person,
                   now: datetime) -> Household:
    """The household's own fields (address, household phone, note), for the grid's staff; audited."""
    household = session.get(Household, household_id)
    if household is None or not may_see(session, editor, household):
        raise EditRefused(texts.HOUSEHOLD_UNKNOWN.format(household=household_id))
    values = {}
    for name, value in changes.items():
        if name not in HOUSEHOLD_EDITABLE:
            raise EditRefused(f"不能修改“{name}”")
        value = str(value).strip()
        if name == "address" and not value:
            raise EditRefused(texts.EDIT_ADDRESS_REQUIRED)
        try:
            values[name] = _phone(value) if name == "phone" else value[:500]
        except ValueError as exc:
            raise EditRefused(str(exc)) from None
    for name, value in values.items():
        setattr(household, name, value)
    session.add(household)
    session.add(AuditEntry(at=now, actor_id=editor.id, action="edit_household",
                           detail=f"{household.id}: {', '.join(sorted(values))}"))
    return household


def _phone(text: str) -> str:
    """A phone number as the import reads it: separators dropped, 5 to 20 digits, or empty."""
    phone = normalize_phone(text.strip())
    if phone and not PHONE.match(phone):
        raise ValueError(texts.EDIT_PHONE_BAD.format(text=text[:20]))
    return phone
