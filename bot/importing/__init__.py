"""`gridbot import KIND FILE [--dry-run]`: check a whole spreadsheet, then import it in one transaction."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.channels.registry import directory
from bot.importing import duty, households
from bot.importing.rosters import KINDS as ROSTER_KINDS
from bot.importing.rosters import values_of
from bot.importing.table import BadFile, Problems, read_table
from storage.db import session as new_session
from storage.models import AuditEntry

KINDS = {**ROSTER_KINDS, "households": households.KIND, "duty": duty.KIND}


def run_import(engine: Engine, *, kind: str, path: str | Path, dry_run: bool, now: datetime,
               actor_id: str = "import") -> tuple[bool, list[str]]:
    """(ok, lines to print). Nothing is written when any row is bad, or on a dry run."""
    spec = KINDS[kind]
    problems = Problems()
    try:
        rows = read_table(path, spec.columns, problems)
    except BadFile as exc:
        return False, [f"{path}：{exc}"]
    with new_session(engine) as session:
        if not problems:
            spec.check(session, rows, problems)
        if problems:
            return False, [f"{path}：{line}" for line in problems.lines] + [
                f"{path}：共{len(problems.lines)}处问题，未导入任何数据。请改正后重新导入。"]
        counts = spec.apply(session, rows=values_of(rows), direct=directory().direct)
        summary = f"{kind}: {len(rows)}行，新增{counts['added']}，更新{counts['updated']}"
        if dry_run:
            session.rollback()
            return True, [f"{path}：检查通过（试运行，未写入）。{summary}"]
        session.add(AuditEntry(at=now, actor_id=actor_id, action=f"import_{kind}", detail=f"{Path(path).name} {summary}"))
        session.commit()
    return True, [f"{path}：已导入。{summary}"]
