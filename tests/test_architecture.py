"""The layering and the shelving are checked, not hoped for."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.factories import ROOT

STATUS_WRITERS = {  # the only modules that assign a `status` attribute, and the table each one writes
    "handlers/cases/flow.py",  # Case: the state machine
    "storage/outbox.py",  # Outbox rows: sent / failed
    "storage/broadcasts.py",  # Broadcast drafts: sent
    "bot/channels/base.py",  # ChannelError: the HTTP status of a refusal, not a table
}


def test_import_contracts_hold():
    """bot → handlers → storage; handlers never import aiohttp or wechatpy; channels never import decisions
    (contracts in pyproject.toml, checked by import-linter)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _status_assignments(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    lines.append(node.lineno)
    return lines


def test_only_the_state_machine_writes_a_case_status():
    found = {}
    for package in ("bot", "handlers", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if (lines := _status_assignments(path)) and rel not in STATUS_WRITERS:
                found[rel] = lines
    assert found == {}, f"status written outside the state machine: {found}"
