"""Cross-checks of config.toml that pydantic cannot do, run on the raw tables so that they report every
problem in the same pass as the type errors: ids that must exist and be unique, roles that must fit, channel
sections, schedule targets and topics, command aliases. Each error names its key path."""
from __future__ import annotations

from typing import Any, Iterable

from storage.models import Role

DISPUTE_SUBTYPES = ("noise", "neighbor", "family", "economic", "property", "landlord_tenant", "other")
DEMO_API_TOKENS = ("dev-token",)  # the demo config's token: public, so only for a server no one else reaches
_OFFICERS = {Role.OFFICER, Role.ADMIN}


def _tables(value: Any) -> list[dict]:
    """The dict items of a list (anything else is pydantic's to report)."""
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def _table(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def check_raw(raw: dict[str, Any]) -> list[str]:
    """Every cross-check on the raw config (channel sections already gathered under ``channels``)."""
    errors: list[str] = []
    people = _tables(raw.get("people"))
    grids = _tables(raw.get("grids"))
    roles = {p["id"]: p.get("role") for p in people if isinstance(p.get("id"), str)}
    errors += _duplicates("people", [p.get("id") for p in people])
    errors += _duplicates("grids", [g.get("id") for g in grids])
    errors += _duplicates("grids[].groups", [f"{r.get('channel')}:{r.get('chat_id')}" for g in grids
                                             for r in _tables(g.get("groups"))])

    def need(path: str, person_id: Any, allowed: set[str]) -> None:
        if not isinstance(person_id, str):
            return  # missing or of the wrong type: reported by the model
        if person_id not in roles:
            errors.append(f"{path}: {person_id!r} is not a person in [[people]]")
        elif isinstance(roles[person_id], str) and roles[person_id] not in allowed:
            errors.append(f"{path}: {person_id!r} has role {roles[person_id]!r}, needs one of {sorted(map(str, allowed))}")

    for i, grid in enumerate(grids):
        need(f"grids[{i}].officer", grid.get("officer"), _OFFICERS)
        for j, worker in enumerate(_strings(grid.get("workers"))):
            need(f"grids[{i}].workers[{j}]", worker, {Role.GRID_WORKER, Role.OFFICER})
    need("station.duty_officer", _table(raw.get("station")).get("duty_officer"), _OFFICERS)
    mediation = _table(raw.get("mediation"))
    mediators = _table(mediation.get("mediators"))
    for subtype, person_id in mediators.items():
        if subtype in DISPUTE_SUBTYPES:
            need(f"mediation.mediators.{subtype}", person_id, {Role.MEDIATOR, Role.OFFICER})
    if mediation.get("community"):
        need("mediation.community", mediation["community"], {Role.MEDIATOR, *_OFFICERS})
    missing = [s for s in DISPUTE_SUBTYPES if s not in mediators]
    if "mediation" in raw and missing:
        errors.append(f"mediation.mediators: no mediator for subtype(s) {missing}")
    grid_ids = {g.get("id") for g in grids}
    for i, shift in enumerate(_tables(raw.get("duty"))):
        need(f"duty[{i}].person", shift.get("person"), {"officer"})
        for j, grid in enumerate(_strings(shift.get("grids"))):
            if grid != "all" and grid not in grid_ids:
                errors.append(f"duty[{i}].grids[{j}]: {grid!r} is not a grid id in [[grids]]")
    errors += _channels(raw, people, grids)
    errors += _schedules(_tables(raw.get("schedules")), {g.get("id") for g in grids})
    errors += _aliases(_table(_table(raw.get("commands")).get("aliases")))
    host = _table(raw.get("server")).get("host", "127.0.0.1")
    problem = demo_token_problem(_table(raw.get("api")).get("token"), host if isinstance(host, str) else "")
    return errors + ([problem] if problem else [])


def loopback(host: str) -> bool:
    """True when ``host`` can be reached from this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def demo_token_problem(token: Any, host: str) -> str | None:
    """Why the API token cannot be served on ``host``: the demo token is published, fine on loopback only."""
    if token not in DEMO_API_TOKENS or loopback(host):
        return None
    return (f"api.token: the demo token {token!r} is refused when the server binds {host!r} (not loopback only); "
            "set your own (gridbot token create PERSON for people, GRIDBOT_API_TOKEN for the read-only one)"
            " — 演示令牌只能在本机回环地址使用")


def _channels(raw: dict[str, Any], people: list[dict], grids: list[dict]) -> list[str]:
    from bot.channels.registry import ACCOUNT_FAMILIES, NAMES, section_errors

    errors = section_errors(_table(raw.get("channels")))
    errors += [f"grids[{i}].groups[{j}].channel: unknown channel {ref.get('channel')!r}; known: {list(NAMES)}"
               for i, grid in enumerate(grids) for j, ref in enumerate(_tables(grid.get("groups")))
               if isinstance(ref.get("channel"), str) and ref["channel"] not in NAMES]
    errors += [f"people[{i}].accounts.{family}: unknown account family; known: {list(ACCOUNT_FAMILIES)}"
               for i, person in enumerate(people) for family in _table(person.get("accounts"))
               if family not in ACCOUNT_FAMILIES]
    return errors


def _schedules(schedules: list[dict], grid_ids: set[Any]) -> list[str]:
    """Schedule ids unique, targets naming known grids (or only "all"), topics in the notice library."""
    from handlers.routines.notices import topic_ids

    errors = _duplicates("schedules", [s.get("id") for s in schedules])
    topics = topic_ids()
    for i, schedule in enumerate(schedules):
        targets = _strings(schedule.get("targets", ["all"]))
        if "all" in targets and len(targets) > 1:
            errors.append(f'schedules[{i}].targets: "all" cannot be combined with grid ids')
        for j, target in enumerate(targets):
            if target != "all" and target not in grid_ids:
                errors.append(f"schedules[{i}].targets[{j}]: {target!r} is not a grid id in [[grids]]")
        named = [("topic", schedule["topic"])] if isinstance(schedule.get("topic"), str) and schedule["topic"] else []
        named += [(f"topics[{j}]", t) for j, t in enumerate(_strings(schedule.get("topics")))]
        for where, topic in named:
            if topic not in topics:
                errors.append(f"schedules[{i}].{where}: unknown topic {topic!r}; known: {sorted(topics)}")
    return errors


def _aliases(aliases: dict[str, Any]) -> list[str]:
    from handlers.dispatch import build_routes
    from handlers.router import RouteError

    clean = {name: _strings(names) for name, names in aliases.items()}
    try:
        build_routes(clean)
    except RouteError as exc:
        return [problem for problem in exc.problems if problem.startswith("commands.aliases")] or [str(exc)]
    return []


def _duplicates(path: str, ids: Iterable[Any]) -> list[str]:
    seen: set[str] = set()
    errors = []
    for value in ids:
        if isinstance(value, str):
            if value in seen:
                errors.append(f"{path}: duplicate id {value!r}")
            seen.add(value)
    return errors
