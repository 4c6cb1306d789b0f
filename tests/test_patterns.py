"""Bounded work per message, over every regular expression and text parser of the bot (handlers/ and bot/):
ten times the input may cost at most ~ten times the work. Time is measured as a ratio against the same call
on a tenth of the input in the same run (never a wall-clock bound): a linear pattern scores ~10, a quadratic
one ~100 (``"一" * 2000`` took 20 s in the amount pattern). Inputs are runs of a short unit drawn by hypothesis
from the pattern's own characters, steered by ``target`` toward the slowest; bench/patterns_bench.py runs the
worst ones found."""
from __future__ import annotations

import importlib
import pkgutil
import re
import re._constants as C
import re._parser as P
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from tests.timing import best_time

SMALL, FACTOR, BOUND = 1000, 10, 30.0  # 1,000 vs 10,000 characters; linear ≈ 10, quadratic ≈ 100
SLACK = 0.002  # seconds: timer noise on microsecond-scale calls
# The inputs that broke patterns here before (kept: a regression runs them first).
KNOWN_WORST = ("一", "二两", " ", "1", "11a", "一一多", "a.", "a-", "@a", "1栋", "#1 ", "\n ", "１")
EXTRA = tuple(" 1一二十百万元块栋号楼单元室.-@|｜;；\n#/:：a微信qQ¥")


@cache
def modules() -> tuple:
    found = []
    for package in ("handlers", "bot"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            found.append(importlib.import_module(info.name))
    return tuple(found)


def patterns() -> list[tuple[str, re.Pattern]]:
    seen, out = set(), []
    for module in modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and id(value) not in seen:
                seen.add(id(value))
                out.append((f"{module.__name__}.{name}", value))
    return out


def alphabet(pattern: re.Pattern) -> list[str]:
    """Every character the pattern names (literals, class members and range ends), and a few of every kind."""
    chars: set[str] = set()

    def walk(items) -> None:  # noqa: ANN001
        for op, av in items:
            if op == C.LITERAL:
                chars.add(chr(av))
            elif op == C.IN:
                for inner, arg in av:
                    if inner == C.LITERAL:
                        chars.add(chr(arg))
                    elif inner == C.RANGE:
                        chars.update((chr(arg[0]), chr(arg[1])))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                walk(av[2])
            elif op == C.SUBPATTERN:
                walk(av[-1])
            elif op == C.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(av[1])
    walk(P.parse(pattern.pattern, pattern.flags))
    return sorted(chars | set(EXTRA))


def ratio_ok(fn, unit: str) -> tuple[bool, float]:  # noqa: ANN001
    """Whether ``fn`` on FACTOR times the input costs at most BOUND times as much (three tries: a busy machine
    rarely slows every one; a quadratic fails them all)."""
    small = unit * max(1, SMALL // len(unit))
    large = unit * max(1, SMALL * FACTOR // len(unit))
    fn(small)
    ratio = 0.0
    for _ in range(3):
        short, long = best_time(fn, small), best_time(fn, large)
        ratio = long / max(short, 1e-6)
        if long <= BOUND * short + SLACK:
            return True, ratio
    return False, ratio


def scan(pattern: re.Pattern):  # noqa: ANN201
    return lambda text: (list(pattern.finditer(text)), pattern.match(text))


@pytest.mark.parametrize(("name", "pattern"), patterns(), ids=[name for name, _ in patterns()])
def test_every_pattern_is_linear_on_the_known_worst_inputs(name, pattern):
    for unit in KNOWN_WORST:
        ok, ratio = ratio_ok(scan(pattern), unit)
        assert ok, f"{name} on {unit!r} * n: ten times the text took {ratio:.0f} times as long"


@pytest.mark.parametrize(("name", "pattern"), patterns(), ids=[name for name, _ in patterns()])
def test_every_pattern_is_linear_on_runs_of_its_own_characters(name, pattern):
    chars = alphabet(pattern)

    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(chars), min_size=1, max_size=3).map("".join))
    def check(unit: str) -> None:
        ok, ratio = ratio_ok(scan(pattern), unit)
        target(ratio)
        assert ok, f"{name} on {unit!r} * n: ten times the text took {ratio:.0f} times as long"
    check()


def parsers() -> dict:
    """The text parsers a message goes through, beside the classifier (tests/handlers/test_nlu_properties.py)."""
    from bot.channels.kit.inbound import clean_text
    from bot.channels.kit.mentions import strip_leading_mention
    from bot.channels.kit.text_split import split_text
    from handlers.cases.linking import building_of
    from handlers.commands.progress import parse_query
    from handlers.faq import text as faq_text
    from handlers.households.ledger import mask_address
    from handlers.ids import parse_id
    from handlers.media.indicators import extract
    from handlers.nlu.entities import extract_entities
    from handlers.privacy import mask_personal
    from handlers.router import parse_command

    return {"parse_command": parse_command, "extract_entities": extract_entities, "mask_personal": mask_personal,
            "indicators": extract, "building_of": lambda t: building_of([t]), "mask_address": mask_address,
            "parse_query": parse_query, "faq_normalise": faq_text.normalise, "strip_mention": strip_leading_mention,
            "split_text": lambda t: split_text(t, 200), "clean_text": clean_text, "parse_id": parse_id}


@pytest.mark.parametrize("name", list(parsers()))
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(unit=st.lists(st.sampled_from(EXTRA + KNOWN_WORST), min_size=1, max_size=3).map("".join))
def test_every_parser_is_linear(name, unit):
    ok, ratio = ratio_ok(parsers()[name], "/" + unit if name == "parse_command" else unit)
    target(ratio)
    assert ok, f"{name} on {unit!r} * n: ten times the text took {ratio:.0f} times as long"
