"""The best of a few timed runs of one call, with the garbage collector off: what the linear-time checks compare
(a ratio of two such times in one run, never a number of seconds)."""
from __future__ import annotations

import gc
import time
from collections.abc import Callable


def best_time(fn: Callable[[str], object], arg: str, runs: int = 3) -> float:
    best = float("inf")
    gc.disable()
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            fn(arg)
            best = min(best, time.perf_counter() - t0)
    finally:
        gc.enable()
    return best
