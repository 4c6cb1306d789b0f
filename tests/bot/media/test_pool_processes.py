"""The reading pool's processes end with the server, even when the server is killed outright (SIGKILL, the OOM
killer): nothing of a dead ``gridbot serve`` stays behind. Real processes; waits are on pidfds, never sleeps."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waiting on processes needs pidfd (Linux)")

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
    out = tmp_path / "out"  # a file, not a pipe: orphans holding a pipe would keep run() waiting for its end
    with out.open("w") as stdout:
        server = subprocess.run([sys.executable, str(script)], stdout=stdout, stderr=subprocess.PIPE, text=True,
                                timeout=120, cwd=os.getcwd())
    assert server.returncode == -signal.SIGKILL, server.stderr
    started = json.loads(out.read_text())
    assert started["state"] == "failed"  # the pool really read (a broken image), so its processes ran
    assert len(started["pool"]) >= 1
    for pid in [*started["pool"], started["forkserver"]]:
        assert ended_within(pid, 30), f"process {pid} outlived the killed server"
