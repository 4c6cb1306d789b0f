"""`gridbot serve` processes on one database: the chaos config, start, SIGKILL, restart."""
from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
GRIDBOT = Path(sys.executable).with_name("gridbot")
SECRET = "chaos-bridge-secret-0123456789abcdef"
ROOMS_PER_GRID = 4  # a grid has several groups (one per few buildings): the per-chat rate limit is not the test
ROOMS = {grid: [f"R:chaos-{grid}-{k}@chatroom" for k in range(ROOMS_PER_GRID)]
         for grid in ("grid-1", "grid-2", "grid-3")}


def write_config(folder: Path, *, url: str, outbound_url: str) -> Path:
    """The demo community with its groups and staff on the bridge, so every reply goes through the slow gateway."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///var/gridbot.db"', f'url = "{url}"')
    text = text.replace('root = "var/media"', f'root = "{folder / "media"}"')
    for grid, rooms in ROOMS.items():
        listed = ", ".join(f'{{ channel = "bridge", chat_id = "{room}", name = "{grid}-{k}" }}'
                           for k, room in enumerate(rooms))
        text = re.sub(rf'groups = \[\{{ channel = "sandbox", chat_id = "{grid}".*\]\n', f"groups = [{listed}]\n", text)
    text = re.sub(r'(\[\[people\]\]\nid = "([^"]+)"\n)', r'\1bridge_id = "wx-\2"\n', text)
    # The sandbox is off: next to a real channel it would need its own token, and the run speaks through the bridge.
    text, switched = re.subn(r"(\[sandbox\][^\n]*\n)enabled = true", r"\1enabled = false", text)
    if switched != 1:
        raise RuntimeError("config.toml: no [sandbox] enabled = true line to switch off")
    text += f'\n[bridge]\nenabled = true\nsecret = "{SECRET}"\noutbound_url = "{outbound_url}"\n'
    path = folder / "chaos.toml"
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, config: Path, folder: Path, size: int) -> None:
        self.config, self.folder = config, folder
        self.ports = [free_port() for _ in range(size)]
        self.procs: list[asyncio.subprocess.Process | None] = [None] * size
        self.kills: list[float] = []  # time.time() of each SIGKILL
        self._ready: set[int] = set()

    async def migrate(self) -> None:
        proc = await asyncio.create_subprocess_exec(str(GRIDBOT), "db", "upgrade", "--config", str(self.config),
                                                    stdout=asyncio.subprocess.DEVNULL)
        if await proc.wait() != 0:
            raise RuntimeError("gridbot db upgrade failed")

    async def start(self, i: int) -> float:
        """Start process ``i`` on its port and wait until /healthz answers; seconds it took."""
        started = time.monotonic()
        log = open(self.folder / f"serve-{i}.log", "ab")  # noqa: SIM115 (the child keeps it)
        self.procs[i] = await asyncio.create_subprocess_exec(
            str(GRIDBOT), "serve", "--config", str(self.config), "--port", str(self.ports[i]),
            stdout=log, stderr=log, cwd=self.folder)
        log.close()
        async with aiohttp.ClientSession() as http:
            while time.monotonic() - started < 90:
                if self.procs[i].returncode is not None:
                    raise RuntimeError(f"gridbot serve {i} exited: see {self.folder / f'serve-{i}.log'}")
                try:
                    async with http.get(f"{self.base(i)}/healthz", timeout=aiohttp.ClientTimeout(total=2)) as r:
                        if r.status == 200:
                            self._ready.add(i)
                            return time.monotonic() - started
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"gridbot serve {i} did not answer /healthz in 90 s")

    async def kill(self, i: int) -> None:
        proc = self.procs[i]
        self._ready.discard(i)
        if proc is not None and proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
            self.kills.append(time.time())
            await proc.wait()
        self.procs[i] = None

    async def stop_all(self) -> None:
        for i, proc in enumerate(self.procs):
            if proc is not None and proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), timeout=15)
                except asyncio.TimeoutError:
                    await self.kill(i)

    def ready(self) -> list[int]:
        """Processes that answered /healthz since they were last started and have not been killed."""
        return sorted(i for i in self._ready if self.procs[i] is not None and self.procs[i].returncode is None)

    def base(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"
