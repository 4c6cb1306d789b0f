"""Run every benchmark in turn: ``python -m bench``."""
from __future__ import annotations

import importlib

BENCHMARKS = (
    "bench.classify_bench",
    "bench.inbound_bench",
    "bench.load_bench",
    "bench.city_roster",
    "bench.screenshot_bench",
    "bench.export_bench",
    "bench.patterns_bench",
    "bench.flood_bench",
    "bench.history_bench",
    "bench.lane_bench",
    "bench.broadcast_bench",
    "bench.stats_bench",
)


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
