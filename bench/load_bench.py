"""Accepting messages under load, driven by wrk, as a ratio to a bare aiohttp app measured in the same run.

Each server is a process of its own, pinned to core 0 when ``taskset`` exists (wrk on core 1, one thread,
32 connections, loopback): (a) bare aiohttp parsing the same JSON and answering 200; (b) the accept path alone
(the app as ``gridbot serve`` builds it, worker off: bench/load_servers.py); (c) ``gridbot serve`` itself, worker
on; (d) the accept path of ``/wechat/wecom`` (signed, AES-encrypted bodies, one message id each). SQLite file in a
temporary folder; PostgreSQL too when GRIDBOT_BENCH_DATABASE_URL is set (a schema of its own, dropped afterwards).
Every server starts on an empty database; rounds interleave the servers; medians are printed.

Run: .venv/bin/python -m bench.load_bench [SECONDS] [ROUNDS] [ONLY]   (default 10 s, 3 rounds; ONLY: servers whose
name holds it, e.g. "accept", beside the bare app; skipped without wrk)
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.city_roster import _config_for, _free_port
from bench.wecom_bodies import SANDBOX_TOKEN, WECOM_SECTION, write_bodies

ROOT = Path(__file__).resolve().parent.parent
WRK_DIR = Path(__file__).resolve().parent / "wrk"
CONNECTIONS = 32
WARM_SECONDS = 2


@dataclass
class Target:
    name: str
    command: list[str]
    script: str  # bench/wrk/<script>
    path: str = "/sandbox/messages"
    wecom: bool = False
    results: list[dict] = field(default_factory=list)


def _pinned(core: int, command: list[str]) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core), *command]
    return command


def _wait_ready(port: int, proc: subprocess.Popen) -> None:
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}") from None
            time.sleep(0.05)
    raise RuntimeError("server not ready within 60 s")


def _wrk(port: int, target: Target, seconds: int, prefix: str, bodies: Path | None) -> dict:
    env = {**os.environ, "BENCH_PREFIX": prefix, "BENCH_REPORT_LUA": str(WRK_DIR / "report.lua"),
           "BENCH_SANDBOX_TOKEN": SANDBOX_TOKEN if target.wecom else ""}
    if bodies is not None:
        env["BENCH_BODIES"] = str(bodies)
    command = _pinned(1, ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
                          "-s", str(WRK_DIR / target.script), f"http://127.0.0.1:{port}{target.path}"])
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["req_per_s"] = result["requests"] / (result["duration_us"] / 1e6)
    result["wrapped"] = "wrapped" in out.stderr
    return result


class Database:
    """A fresh, migrated database for each server start: a SQLite file, or a PostgreSQL schema."""

    def __init__(self, folder: Path, pg_url: str | None) -> None:
        self.folder, self.pg_url, self.n = folder, pg_url, 0

    def fresh(self, edit: Callable[[str], str] | None = None) -> tuple[Path, str | None]:
        self.n += 1
        schema = None
        if self.pg_url:
            schema = f"bench_load_{os.getpid()}_{self.n}"
            url = f"{self.pg_url}{'&' if '?' in self.pg_url else '?'}options=-csearch_path%3D{schema}"
            self._sql(f"CREATE SCHEMA {schema}")
        else:
            url = f"sqlite:///{self.folder}/load-{self.n}.db"
        config = _config_for(self.folder, url)
        if edit is not None:
            config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")
        config = config.rename(self.folder / f"config-{self.n}.toml")
        subprocess.run([str(Path(sys.executable).with_name("gridbot")), "db", "upgrade", "--config", str(config)],
                       check=True, stdout=subprocess.DEVNULL, cwd=self.folder)
        return config, schema

    def drop(self, schema: str | None) -> None:
        if schema:
            self._sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def _sql(self, statement: str) -> None:
        from storage.db import make_engine

        engine = make_engine(self.pg_url)
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
        engine.dispose()


def _run_target(target: Target, db: Database | None, seconds: int, folder: Path, round_no: int) -> None:
    config = schema = bodies = warm_bodies = None
    if db is not None:
        config, schema = db.fresh(_with_wecom if target.wecom else None)
    if target.wecom:
        warm_bodies = write_bodies(folder / "warm.tsv", first_id=1, n=12_000)  # a fresh database each start
        bodies = write_bodies(folder / "bodies.tsv", first_id=100_000, n=max(20_000, 5_000 * seconds))
    port = _free_port()
    command = [arg.replace("{config}", str(config)).replace("{port}", str(port)) for arg in target.command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(_pinned(0, command), cwd=folder, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_ready(port, proc)
        _wrk(port, target, WARM_SECONDS, f"warm{round_no}", warm_bodies)
        target.results.append(_wrk(port, target, seconds, f"run{round_no}", bodies))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if db is not None:
            db.drop(schema)


def _with_wecom(text: str) -> str:
    return text.replace("[sandbox]", f'[sandbox]\ntoken = "{SANDBOX_TOKEN}"', 1) + WECOM_SECTION


def _targets(pg: bool) -> list[Target]:
    python, gridbot = sys.executable, str(Path(sys.executable).with_name("gridbot"))
    accept = [python, "-m", "bench.load_servers", "accept", "{config}", "{port}"]
    serve = [gridbot, "serve", "--config", "{config}", "--port", "{port}"]
    backend = "PostgreSQL" if pg else "SQLite"
    targets = [Target(f"accept /sandbox/messages, {backend}", accept, "sandbox.lua"),
               Target(f"gridbot serve (worker on), {backend}", serve, "sandbox.lua")]
    if not pg:
        targets.append(Target("accept /wechat/wecom (encrypted), SQLite", accept, "replay.lua", path="/wechat/wecom",
                              wecom=True))
    return targets


def _line(target: Target, bare: Target) -> str:
    rps = statistics.median(r["req_per_s"] for r in target.results)
    ratios = [r["req_per_s"] / b["req_per_s"] for r, b in zip(target.results, bare.results)]
    p50 = statistics.median(r["p50_us"] for r in target.results) / 1000
    p99 = statistics.median(r["p99_us"] for r in target.results) / 1000
    bad = sum(r["non2xx"] + r["socket_errors"] for r in target.results)
    wrapped = " (bodies wrapped: some were redeliveries)" if any(r["wrapped"] for r in target.results) else ""
    return (f"{target.name:<44} {rps:8.0f} req/s  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms  "
            f"{statistics.median(ratios):.2f} × bare (rounds {', '.join(f'{x:.2f}' for x in ratios)})"
            f"{'  errors ' + str(bad) if bad else ''}{wrapped}")


def run(seconds: int, rounds: int, only: str = "") -> list[str]:
    pg_url = os.environ.get("GRIDBOT_BENCH_DATABASE_URL")
    bare = Target("bare aiohttp (parse JSON, 200)", [sys.executable, "-m", "bench.load_servers", "bare", "{port}"],
                  "sandbox.lua")
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = [(bare, None)] + [(t, Database(folder, None)) for t in _targets(False) if only in t.name]
        if pg_url:
            plan += [(t, Database(folder, pg_url)) for t in _targets(True) if only in t.name]
        for round_no in range(rounds):
            for target, db in plan:
                _run_target(target, db, seconds, folder, round_no)
        for target, _ in plan:
            lines.append(_line(target, bare))
    pinned = "server on core 0, wrk on core 1" if _pinned(0, []) else "not pinned (no taskset)"
    lines.insert(0, f"wrk -t1 -c{CONNECTIONS} -d{seconds}s, {pinned}, {rounds} round(s), medians")
    return lines


def main() -> None:
    if not shutil.which("wrk"):
        print("load_bench: skipped, wrk is not installed (apt-get install wrk; `make bench` installs it as root)")
        return
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 3
    only = sys.argv[3] if len(sys.argv) > 3 else ""  # e.g. "accept": those servers (and the bare app) only
    for line in run(seconds, rounds, only):
        print(line, flush=True)


if __name__ == "__main__":
    main()
