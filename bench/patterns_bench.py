"""Every regular expression and text parser of the bot on its worst inputs: ``python -m bench.patterns_bench``.

The worst inputs are the runs that broke patterns here before (``tests/test_patterns.py: KNOWN_WORST``) and the
runs of each pattern's own characters; for each pattern the slowest of them is timed on 1,000 and on 10,000
characters. A linear pattern's ratio is about 10, a quadratic one's about 100 (the test bound is 30). Also: the
whole message path's readers (entities, indicators, FAQ normalisation, commands) on a 8,000-character message,
the longest the edge stores. Figures go into docs/performance.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.test_patterns import KNOWN_WORST, alphabet, best_time, parsers, patterns, scan  # noqa: E402

SMALL, LARGE = 1000, 10_000


def worst_unit(fn, units) -> tuple[str, float]:  # noqa: ANN001
    """The unit whose 10,000-character run takes longest, and that time."""
    timed = [(unit, best_time(fn, (unit * (LARGE // len(unit) + 1))[:LARGE], runs=1)) for unit in units]
    return max(timed, key=lambda item: item[1])


def main() -> None:
    rows = []
    for name, pattern in patterns():
        chars = alphabet(pattern)
        fn = scan(pattern)
        unit, _ = worst_unit(fn, list(KNOWN_WORST) + chars)
        small = best_time(fn, (unit * SMALL)[:SMALL])
        large = best_time(fn, (unit * LARGE)[:LARGE])
        rows.append((large, name, unit, small, large))
    rows.sort(reverse=True)
    print(f"{len(rows)} patterns; the 8 slowest on their worst input (1,000 → 10,000 characters):")
    for _, name, unit, small, large in rows[:8]:
        print(f"  {name:<48} {unit!r:>8}  {small * 1e3:7.3f} ms → {large * 1e3:7.3f} ms  x{large / max(small, 1e-9):5.1f}")
    worst_ratio = max(large / max(small, 1e-9) for _, _, _, small, large in rows)
    print(f"  largest ratio over all patterns: x{worst_ratio:.1f} (linear ≈ 10, quadratic ≈ 100)")
    print("parsers on their worst 8,000-character message:")
    for name, fn in parsers().items():
        units = [("/" + u) if name == "parse_command" else u for u in KNOWN_WORST]
        unit, _ = worst_unit(fn, units)
        took = best_time(fn, (unit * 8000)[:8000])
        print(f"  {name:<18} {unit!r:>8}  {took * 1e3:7.3f} ms")


if __name__ == "__main__":
    main()
