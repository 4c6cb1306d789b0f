"""`gridbot import households FILE`: the household sheets communities keep, one row per resident (the household's
number, grid and address repeated on each of its rows). Flags 独居老人/残疾/留守儿童/重点关注, a caretaker from the
roster, the resident's WeChat (渠道:账号) and their check-in schedule. Checked whole before anything is written."""
from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.channels.registry import NAMES as CHANNEL_NAMES
from bot.channels.registry import directory
from bot.importing.rosters import Kind, _id, _phone
from bot.importing.table import Column, Problems, Row, split_list
from handlers import texts
from handlers.households.schedule import DAILY, parse_days, parse_time
from storage import households, roster_import
from storage.models import Role

FLAGS = {name: code for code, name in texts.FLAG_NAMES.items()} | {"独居": "alone_elderly", "空巢老人": "alone_elderly",
                                                                  "残疾人": "disabled", "重点": "watch",
                                                                  **{code: code for code in texts.FLAG_NAMES}}


def _flags(text: str) -> list[str]:
    found = []
    for part in split_list(text):
        if part not in FLAGS:
            raise ValueError(f"标签“{part[:12]}”不认识，可用：{'、'.join(texts.FLAG_NAMES.values())}")
        if FLAGS[part] not in found:
            found.append(FLAGS[part])
    return found


def _account(text: str) -> tuple[str | None, str]:
    """'bridge:wxid_abc' → (its account family, 'wxid_abc'); 'sandbox:resident-wang' → (None, 'resident-wang')."""
    channel, _, external = text.partition(":")
    if channel not in CHANNEL_NAMES or not external.strip():
        raise ValueError(f"微信“{text[:30]}”应写成 渠道:账号，渠道可用：{'、'.join(CHANNEL_NAMES)}")
    return directory().family(channel), external.strip()


def _hours(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 24:
        raise ValueError(f"等待小时“{text[:10]}”应是1到24的整数")
    return int(text)


COLUMNS = (
    Column("household", "户编号", ("户号",), True, _id), Column("grid", "网格编号", ("网格",), True, _id),
    Column("address", "地址", ("住址", "门牌"), True), Column("household_phone", "家庭电话", (), parse=_phone),
    Column("name", "姓名", ("居民姓名", "成员"), True), Column("salutation", "称呼"),
    Column("phone", "电话", ("手机", "联系电话"), parse=_phone),
    Column("flags", "标签", ("类别", "重点人群"), parse=_flags, empty=()),
    Column("caretaker", "照护人", ("包保人", "联系人编号"), parse=lambda t: _id(t), empty=""),
    Column("account", "微信", ("微信账号",), parse=_account, empty=None),
    Column("days", "探访", ("探访日",), parse=parse_days, empty=None),
    Column("time", "探访时间", (), parse=parse_time), Column("wait", "等待小时", (), parse=_hours, empty=None),
    Column("note", "备注"),
)


def _days(values: dict[str, Any]) -> str:
    """The sheet's schedule; blank means daily for a resident who lives alone (独居老人), none for others."""
    if values.get("days") is not None:
        return values["days"]
    return DAILY if "alone_elderly" in (values.get("flags") or ()) else ""


def check(session: Session, rows: list[Row], problems: Problems) -> None:
    grids = roster_import.existing_ids(session, "grid")
    roles = roster_import.roles(session)
    first: dict[str, Row] = {}
    names: dict[tuple[str, str], int] = {}
    for row in rows:
        v = row.values
        key = v.get("household")
        if v.get("grid") and v["grid"] not in grids:
            problems.add(row.line, "网格编号", f"网格“{v['grid']}”不存在（请先导入网格）")
        if key in first:
            for field, header in (("grid", "网格编号"), ("address", "地址")):
                if v.get(field) != first[key].values.get(field):
                    problems.add(row.line, header, f"与第{first[key].line}行同一户“{key}”的{header}不一致")
        first.setdefault(key, row)
        if (key, v.get("name")) in names:
            problems.add(row.line, "姓名", f"“{v.get('name')}”在户“{key}”里与第{names[(key, v.get('name'))]}行重复")
        names.setdefault((key, v.get("name")), row.line)
        if v.get("caretaker") and v["caretaker"] not in roles:
            problems.add(row.line, "照护人", f"“{v['caretaker']}”不在人员名单里（请先导入人员）")
        account = v.get("account")
        if account is not None:
            person = households.person_for_account(session, family=account[0], external_id=account[1])
            if person is not None and person.role != Role.RESIDENT:
                role = texts.ROLE_NAMES.get(person.role, person.role)
                problems.add(row.line, "微信", f"这个账号属于{role}{person.name}，不是居民")
        if _days(v) and account is None and not v.get("caretaker"):
            problems.add(row.line, "照护人", "没有微信的居民需要探访时，必须填写照护人")


def apply(session: Session, *, rows: list[dict[str, Any]], direct: dict[str, str]) -> dict[str, int]:
    homes = {r["household"]: {"id": r["household"], "grid_id": r["grid"], "address": r["address"],
                              "phone": r["household_phone"], "note": ""} for r in rows}
    for r in rows:  # a household's phone may be on any of its rows
        homes[r["household"]]["phone"] = homes[r["household"]]["phone"] or r["household_phone"]
    residents = []
    for r in rows:
        person_id = None
        if r["account"] is not None:
            family, external = r["account"]
            person = households.ensure_resident_person(
                session, family=family, external_id=external, name=r["name"], phone=r["phone"], grid_id=r["grid"],
                dm_channel=direct.get(family) if family else None)
            person_id = person.id
        residents.append({"household_id": r["household"], "name": r["name"], "salutation": r["salutation"],
                          "phone": r["phone"], "flags": list(r["flags"] or []), "caretaker_id": r["caretaker"] or None,
                          "person_id": person_id, "checkin_days": _days(r), "checkin_time": r["time"],
                          "checkin_wait_hours": r["wait"], "note": r["note"]})
    return households.upsert_households(session, households=list(homes.values()), residents=residents)


KIND = Kind("households", COLUMNS, check, apply)
