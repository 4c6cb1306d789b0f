"""Routes: one registration mechanism, refused at start-up when a command, alias or intent route clashes or
is missing; every intent the classifier can emit has exactly one route."""
from __future__ import annotations

import pytest

from handlers.dispatch import PRECEDENCE, ROUTERS, build_routes
from handlers.nlu.label import INTENTS
from handlers.router import RouteError, Router, Routes, parse_command


def test_every_intent_the_classifier_can_emit_has_exactly_one_route():
    routes = build_routes()
    declared = [intent for router in ROUTERS for intent, _ in router.intents]
    assert sorted(declared) == sorted(INTENTS)
    assert set(routes.intents) == set(INTENTS)


def test_a_duplicate_command_name_refuses_to_start():
    extra = Router("extra")
    extra.command("close", usage="/close", summary="x")(lambda ctx: None)
    with pytest.raises(RouteError, match="command /close is declared twice"):
        Routes((*ROUTERS, extra), intents=INTENTS)


@pytest.mark.parametrize("aliases, expected", [
    ({"help": ["结案"], "close": ["结案"]}, "alias /结案 is already taken"),
    ({"help": ["close"]}, "alias /close is already taken"),
    ({"shutdown": ["关机"]}, "commands.aliases.shutdown: unknown command"),
])
def test_alias_clashes_and_unknown_targets_refuse_to_start(aliases, expected):
    with pytest.raises(RouteError, match=expected):
        build_routes(aliases)


def test_an_intent_without_a_route_or_with_two_refuses_to_start():
    without = tuple(r for r in ROUTERS if r.name != "fraud")
    with pytest.raises(RouteError, match="intent 'fraud' has no route"):
        Routes(without, intents=INTENTS)
    twice = Router("twice")
    twice.intent("help")(lambda ctx: None)
    with pytest.raises(RouteError, match="intent 'help' has two routes"):
        Routes((*ROUTERS, twice), intents=INTENTS)
    stray = Router("stray")
    stray.intent("lost_and_found")(lambda ctx: None)
    with pytest.raises(RouteError, match="route for unknown intent 'lost_and_found'"):
        Routes((*ROUTERS, stray), intents=INTENTS)


def test_precedence_is_declared_in_order():
    assert [step.__name__ for step in PRECEDENCE] == [
        "_own", "_command", "_attachment", "_conversation", "_loop_guard", "_joined", "_silent", "_staff", "_addressed",
        "_intent"]


@pytest.mark.parametrize("text, expected", [
    ("/close 12 调解成功", ("close", "12 调解成功")),
    ("／結案 3 好", ("結案", "3 好")),
    ("　/help", ("help", "")),
    ("/", None), ("close 12", None), ("", None),
])
def test_parse_command(text, expected):
    call = parse_command(text)
    assert (None if call is None else (call.name, call.args)) == expected
