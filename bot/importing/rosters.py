"""`gridbot import stations|communities|grids|people|groups FILE`: the rosters of a district or city, as the
sub-district offices keep them. Checked whole (cells, references to people, communities and stations in the
file or already in the database) before anything is written; then upserted in one transaction and audited."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from typing import Any, Callable

from sqlmodel import Session

from bot.channels.registry import NAMES as CHANNEL_NAMES
from bot.importing.table import Column, Problems, Row, split_list
from storage import roster_import
from storage.models import Role, Scope

ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
WEBHOOK_KEY = re.compile(r"^[A-Za-z0-9\-]{8,64}$")
ROLES = {"民警": Role.OFFICER, "社区民警": Role.OFFICER, "辅警": Role.OFFICER, "网格员": Role.GRID_WORKER,
         "调解员": Role.MEDIATOR, "管理员": Role.ADMIN, "居民": Role.RESIDENT, **{r.value: r for r in Role}}
SCOPES = {"": Scope.GRID, "网格": Scope.GRID, "全所": Scope.STATION, "派出所": Scope.STATION,
          **{s.value: s for s in Scope}}
SUBTYPE_COLUMNS = (("noise", "噪音调解员"), ("neighbor", "邻里调解员"), ("family", "家庭调解员"),
                   ("economic", "经济调解员"), ("property", "物业调解员"), ("landlord_tenant", "租赁调解员"),
                   ("other", "其他调解员"))


def _id(text: str) -> str:
    if not ID.match(text):
        raise ValueError(f"编号“{text[:20]}”只能用字母、数字、点、横线和下划线（至多64个）")
    return text


def _optional_id(text: str) -> str:
    return _id(text) if text else ""


def _ids(text: str) -> list[str]:
    return [_id(part) for part in split_list(text)]


def _role(text: str) -> Role:
    if text not in ROLES:
        raise ValueError(f"角色“{text}”不认识，可用：民警、网格员、调解员、管理员、居民")
    return ROLES[text]


def _scope(text: str) -> Scope:
    if text not in SCOPES:
        raise ValueError(f"范围“{text}”不认识，可用：网格、全所")
    return SCOPES[text]


def _groups(text: str) -> list[tuple[str, str]]:
    found = []
    for part in split_list(text):
        channel, _, chat_id = part.partition(":")
        if channel not in CHANNEL_NAMES or not chat_id:
            raise ValueError(f"群“{part[:30]}”应写成 渠道:群号，渠道可用：{'、'.join(CHANNEL_NAMES)}")
        found.append((channel, chat_id))
    return found


def _channel(text: str) -> str:
    if text not in CHANNEL_NAMES:
        raise ValueError(f"渠道“{text[:20]}”不认识，可用：{'、'.join(CHANNEL_NAMES)}")
    return text


def _chat_id(text: str) -> str:
    if len(text) > 128 or any(c.isspace() for c in text):
        raise ValueError("群号不能含空格，至多128个字符")
    return text


CLEARS = {"无", "-", "删除"}  # a cell that removes the value on record (a blank one keeps it)


def _or_clear(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parsed(text: str) -> Any:
        return roster_import.CLEAR if text in CLEARS else parse(text)
    return parsed


def _webhook_key(text: str) -> str:
    """A WeCom group robot's key, or the whole webhook address it is part of (as 企业微信 shows it)."""
    key = text
    if text.startswith(("http://", "https://")):
        query = parse_qs(urlsplit(text).query)
        key = (query.get("key") or [""])[0]
    if not WEBHOOK_KEY.match(key):
        raise ValueError("群机器人应填机器人的Webhook地址或其中key=后面的部分")
    return key


def _phone(text: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", text)
    if digits and not re.fullmatch(r"\+?\d{5,20}", digits):
        raise ValueError(f"电话“{text[:20]}”不是号码")
    return digits


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    check: Callable[[Session, list[Row], Problems], None]
    apply: Callable[..., dict[str, int]]


PEOPLE = (
    Column("id", "编号", ("人员编号",), True, _id), Column("name", "姓名", (), True),
    Column("role", "角色", (), True, _role), Column("title", "职务"), Column("phone", "电话", ("手机",), parse=_phone),
    Column("wecom_user_id", "企业微信", ("企业微信账号",)), Column("mp_openid", "公众号", ("openid",)),
    Column("bridge_id", "微信网关", ("微信号",)), Column("scope", "范围", (), parse=_scope, empty=Scope.GRID),
)
STATIONS = (
    Column("id", "派出所编号", (), True, _id), Column("name", "名称", ("派出所",), True), Column("address", "地址"),
    Column("hours", "办公时间"), Column("phone", "电话", (), parse=_phone),
    Column("duty_officer", "值班民警", (), parse=_optional_id),
)
COMMUNITIES = (
    Column("id", "社区编号", (), True, _id), Column("name", "社区名称", ("社区",), True),
    Column("station", "派出所编号", (), True, _id), Column("mediator", "社区调解员", (), parse=_optional_id),
    *(Column(subtype, header, (), parse=_optional_id) for subtype, header in SUBTYPE_COLUMNS),
)
GRIDS = (
    Column("id", "网格编号", (), True, _id), Column("name", "网格名称", ("网格",), True),
    Column("community", "社区编号", (), True, _id), Column("officer", "责任民警", (), True, _id),
    Column("workers", "网格员", (), parse=_ids, empty=()), Column("buildings", "楼栋", (), parse=split_list, empty=()),
    Column("groups", "群", ("群号",), parse=_groups, empty=()),
)

GROUPS = (
    Column("channel", "渠道", (), True, _channel), Column("chat_id", "群号", (), True, _chat_id),
    Column("grid", "网格编号", (), True, _id), Column("name", "群名称", ("群名",)),
    Column("webhook_key", "群机器人", ("群机器人Webhook", "webhook"), parse=_or_clear(_webhook_key)),
    Column("tags", "标签", (), parse=_or_clear(split_list), empty=()),
)


def _duplicates(rows: list[Row], problems: Problems, header: str,
                key: Callable[[dict[str, Any]], Any] = lambda values: values.get("id"),
                named: Callable[[Any], str] = lambda key: f"编号“{key}”") -> None:
    seen: dict[Any, int] = {}
    for row in rows:
        found = key(row.values)
        if found and found in seen:
            problems.add(row.line, header, f"{named(found)}与第{seen[found]}行重复")
        seen.setdefault(found, row.line)


def _need(session: Session, problems: Problems, row: Row, header: str, person_id: str, roles: set[Role]) -> None:
    if not person_id:
        return
    role = roster_import.person_role(session, person_id=person_id)
    if role is None:
        problems.add(row.line, header, f"“{person_id}”不在人员名单里（请先导入人员）")
    elif role not in roles:
        problems.add(row.line, header, f"“{person_id}”的角色不能担任这一职责")


POLICE = {Role.OFFICER, Role.ADMIN}


def _check_people(session: Session, rows: list[Row], problems: Problems) -> None:
    _duplicates(rows, problems, "编号")


def _check_stations(session: Session, rows: list[Row], problems: Problems) -> None:
    _duplicates(rows, problems, "派出所编号")
    for row in rows:
        _need(session, problems, row, "值班民警", row.values.get("duty_officer", ""), POLICE)


def _check_communities(session: Session, rows: list[Row], problems: Problems) -> None:
    _duplicates(rows, problems, "社区编号")
    for row in rows:
        station = row.values.get("station")
        if station and not roster_import.exists(session, "station", station):
            problems.add(row.line, "派出所编号", f"派出所“{station}”不存在（请先导入派出所）")
        _need(session, problems, row, "社区调解员", row.values.get("mediator", ""), {Role.MEDIATOR, *POLICE})
        for subtype, header in SUBTYPE_COLUMNS:
            _need(session, problems, row, header, row.values.get(subtype, ""), {Role.MEDIATOR, Role.OFFICER})


def _check_grids(session: Session, rows: list[Row], problems: Problems) -> None:
    _duplicates(rows, problems, "网格编号")
    communities = roster_import.existing_ids(session, "community")
    people = roster_import.roles(session)
    for row in rows:
        community = row.values.get("community")
        if community and community not in communities:
            problems.add(row.line, "社区编号", f"社区“{community}”不存在（请先导入社区）")
        officer = row.values.get("officer")
        if officer and people.get(officer) not in POLICE:
            problems.add(row.line, "责任民警", f"“{officer}”不是名单里的民警")
        for worker in row.values.get("workers") or []:
            if people.get(worker) not in {Role.GRID_WORKER, Role.OFFICER}:
                problems.add(row.line, "网格员", f"“{worker}”不是名单里的网格员")


def _check_groups(session: Session, rows: list[Row], problems: Problems) -> None:
    grids = roster_import.existing_ids(session, "grid")
    configured = roster_import.configured_groups(session)
    _duplicates(rows, problems, "群号", key=_chat_of, named=lambda chat: f"群“{chat[1][:30]}”")
    for row in rows:
        grid, chat = row.values.get("grid"), (row.values.get("channel"), row.values.get("chat_id"))
        if grid and grid not in grids:
            problems.add(row.line, "网格编号", f"网格“{grid}”不存在（请先导入网格）")
        if chat in configured:  # config.toml's own groups are kept in step with it at every start
            problems.add(row.line, "群号", f"群“{chat[1][:30]}”写在config.toml里，请在config.toml中修改")
        if row.values.get("webhook_key") and chat[0] not in ROBOT_CHANNELS:
            problems.add(row.line, "群机器人", f"群机器人只用于微信群（bridge）和企业微信智能机器人群（aibot），"
                                             f"不用于{chat[0]}")


def _chat_of(values: dict[str, Any]) -> tuple[str, str] | None:
    chat = (values.get("channel"), values.get("chat_id"))
    return chat if all(chat) else None


ROBOT_CHANNELS = ("bridge", "aibot")  # a group robot's webhook: the bridge group's fallback, the AI bot's own sender

KINDS: dict[str, Kind] = {
    "people": Kind("people", PEOPLE, _check_people, roster_import.upsert_people),
    "stations": Kind("stations", STATIONS, _check_stations, roster_import.upsert_stations),
    "communities": Kind("communities", COMMUNITIES, _check_communities,
                        lambda session, rows, **kw: roster_import.upsert_communities(session, rows=[
                            {**r, "mediators": {s: r[s] for s, _ in SUBTYPE_COLUMNS}} for r in rows])),
    "grids": Kind("grids", GRIDS, _check_grids, roster_import.upsert_grids),
    "groups": Kind("groups", GROUPS, _check_groups, roster_import.upsert_groups),
}


def values_of(rows: list[Row]) -> list[dict[str, Any]]:
    return [row.values for row in rows]
