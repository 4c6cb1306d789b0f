"""The reading pool's processes end with the server, even when the server is killed outright (SIGKILL, the OOM
killer): nothing of a dead ``gridbot serve`` stays behind. Real processes; waits are on pidfds, never sleeps."""
from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waiting on processes needs pidfd (Linux)")

ROOT = Path(__file__).resolve().parents[3]
SERVER = textwrap.dedent("""
    import asyncio, json, os, signal, sys
    from multiprocessing import forkserver
    from bot.media.pool import ImageReader

    if __name__ == "__main__":
        reader = ImageReader.processes(workers=2, use_ocr=False)
        reading = asyncio.run(reader.read(b"not an image"))  # starts the pool's processes
        pool = list(reader._executor._processes)
        print(json.dumps({"state": reading.state, "pool": pool, "forkserver": forkserver._forkserver._forkserver_pid}),
              flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
""")


def ended_within(pid: int, seconds: float) -> bool:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], seconds)
        return bool(ready)
    finally:
        os.close(fd)


def test_the_pool_processes_and_the_forkserver_end_when_the_server_is_killed(tmp_path):
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    out, err = tmp_path / "out", tmp_path / "err"  # files, not pipes: orphans holding a pipe would keep run() waiting
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.run([sys.executable, str(script)], stdout=stdout, stderr=stderr, timeout=120, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert server.returncode == -signal.SIGKILL, err.read_text()
    started = json.loads(out.read_text())
    assert started["state"] == "failed"  # the pool really read (a broken image), so its processes ran
    assert len(started["pool"]) >= 1
    pids = [*started["pool"], started["forkserver"]]
    try:
        for pid in pids:
            assert ended_within(pid, 30), f"process {pid} outlived the killed server"
    finally:  # never leave an orphan behind on the machine, whatever the outcome
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
