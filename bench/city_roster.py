"""A city-size roster (seed 001: 6,702 grids, 15,824 grid workers, every grid with an officer): import time
from xlsx, then `gridbot serve` start-up (ready = /healthz answers) and resident memory, next to the demo
community's start-up measured in the same run.

Run: .venv/bin/python -m bench.city_roster [GRIDS] [WORKERS]   (defaults 6702 15824; SQLite, or PostgreSQL
when GRIDBOT_BENCH_DATABASE_URL is set, e.g. postgresql://postgres@127.0.0.1:5432/test — it uses a schema of
its own and drops it afterwards).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
GRIDS_PER_COMMUNITY = 12
COMMUNITIES_PER_STATION = 10
GRIDS_PER_OFFICER = 3


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def city_files(folder: Path, n_grids: int, n_workers: int) -> list[tuple[str, Path]]:
    """people, stations, communities, grids and their groups (each with its group robot) of an invented city, as
    a sub-district office would keep them."""
    n_communities = -(-n_grids // GRIDS_PER_COMMUNITY)
    n_stations = -(-n_communities // COMMUNITIES_PER_STATION)
    n_officers = -(-n_grids // GRIDS_PER_OFFICER)
    people = [["编号", "姓名", "角色", "电话", "企业微信", "范围"]]
    people += [[f"o{i}", f"民警{i}", "民警", f"139{i:08d}", f"wo{i}", ""] for i in range(n_officers)]
    people += [[f"d{i}", f"值班{i}", "民警", "", f"wd{i}", "全所"] for i in range(n_stations)]
    people += [[f"w{i}", f"网格员{i}", "网格员", f"137{i:08d}", f"ww{i}", ""] for i in range(n_workers)]
    people += [[f"m{i}", f"调解员{i}", "调解员", "", "", ""] for i in range(n_communities)]
    stations = [["派出所编号", "名称", "地址", "办公时间", "电话", "值班民警"]]
    stations += [[f"s{i}", f"第{i}派出所", f"城南路{i}号", "周一至周五 9:00-17:00", "0571-0000000", f"d{i}"]
                 for i in range(n_stations)]
    communities = [["社区编号", "社区名称", "派出所编号", "社区调解员", "其他调解员"]]
    communities += [[f"c{i}", f"社区{i}", f"s{i // COMMUNITIES_PER_STATION}", f"m{i}", f"m{i}"]
                    for i in range(n_communities)]
    grids = [["网格编号", "网格名称", "社区编号", "责任民警", "网格员", "群"]]
    for i in range(n_grids):
        workers = "、".join(f"w{j}" for j in range(i, n_workers, n_grids))
        grids.append([f"g{i}", f"网格{i}", f"c{i // GRIDS_PER_COMMUNITY}", f"o{i // GRIDS_PER_OFFICER}", workers,
                      f"bridge:room-{i}"])
    groups = [["渠道", "群号", "网格编号", "群名称", "群机器人", "标签"]]
    groups += [["bridge", f"room-{i}", f"g{i}", f"网格{i}居民群", f"robot-{i:08d}", "住宅"] for i in range(n_grids)]
    return [(kind, write_xlsx(folder / f"{kind}.xlsx", rows)) for kind, rows in
            (("people", people), ("stations", stations), ("communities", communities), ("grids", grids),
             ("groups", groups))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    return next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                if line.startswith("VmRSS:")) / 1024


def serve_startup(config: Path) -> tuple[float, float, float, float]:
    """Of a fresh `gridbot serve`: seconds until /healthz answers (messages are accepted and stored), RSS in MB
    then, seconds until it reports ``handling: ready`` (classifier and FAQ loaded), RSS then."""
    port = _free_port()
    gridbot = Path(sys.executable).with_name("gridbot")
    started = time.perf_counter()
    proc = subprocess.Popen([str(gridbot), "serve", "--config", str(config), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    accepting = accept_rss = None
    try:
        while True:
            try:
                body = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read())
                if accepting is None:
                    accepting, accept_rss = time.perf_counter() - started, _rss_mb(proc.pid)
                if body.get("handling", "ready") == "ready":
                    return accepting, accept_rss, time.perf_counter() - started, _rss_mb(proc.pid)
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("gridbot serve did not start")
            if time.perf_counter() - started > 60:
                raise RuntimeError("gridbot serve was not ready within 60 s")
            time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _config_for(folder: Path, url: str) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8").replace('url = "sqlite:///var/gridbot.db"', f'url = "{url}"')
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(n_grids: int, n_workers: int) -> list[str]:
    from bot.importing import run_import
    from storage import migrate
    from storage.db import make_engine

    pg = os.environ.get("GRIDBOT_BENCH_DATABASE_URL")
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo_config = _config_for(folder, f"sqlite:///{folder}/demo.db")
        subprocess.run([str(Path(sys.executable).with_name("gridbot")), "db", "upgrade", "--config", str(demo_config)],
                       check=True, stdout=subprocess.DEVNULL)
        demo = serve_startup(demo_config)
        schema = f"bench_city_{os.getpid()}"
        url = f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}" if pg else f"sqlite:///{folder}/city.db"
        engine = make_engine(url)
        if pg:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            migrate.upgrade(engine)
            city_config = _config_for(folder, url)
            files = city_files(folder, n_grids, n_workers)
            for kind, path in files:
                t0 = time.perf_counter()
                ok, out = run_import(engine, kind=kind, path=path, dry_run=False, now=datetime.now(timezone.utc))
                assert ok, out
                lines.append(f"import {kind:<12} {time.perf_counter() - t0:6.2f} s  {out[0].split('。')[-1]}")
            city = serve_startup(city_config)
        finally:
            if pg:
                with engine.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            engine.dispose()
    backend = "PostgreSQL" if pg else "SQLite"
    lines.append(f"serve start-up, demo community (SQLite file): accepting {demo[0]:.2f} s ({demo[1]:.0f} MB), "
                 f"handling {demo[2]:.2f} s ({demo[3]:.0f} MB RSS)")
    lines.append(f"serve start-up, city roster {n_grids} grids / {n_workers} workers ({backend}): accepting "
                 f"{city[0]:.2f} s ({city[0] / demo[0]:.2f} × demo), handling {city[2]:.2f} s "
                 f"({city[2] / demo[2]:.2f} × demo), {city[3]:.0f} MB RSS")
    return lines


def main() -> None:
    n_grids = int(sys.argv[1]) if len(sys.argv) > 1 else 6702
    n_workers = int(sys.argv[2]) if len(sys.argv) > 2 else 15824
    for line in run(n_grids, n_workers):
        print(line)


if __name__ == "__main__":
    main()
