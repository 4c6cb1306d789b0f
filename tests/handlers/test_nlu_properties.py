"""Bounds and properties of every parser and pattern in handlers.nlu: no regular expression can backtrack
(checked on the parsed pattern), worst-case inputs take time linear in their length (checked against the
same function on a shorter input in the same run), and random input never breaks an invariant."""
from __future__ import annotations

import re
from dataclasses import replace
import re._constants as sre_constants
import re._parser as sre_parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.nlu import Classifier, danger, entities, features, lexicon, normalize, priority, signals
from handlers.nlu.classifier import MAX_CHARS
from handlers.nlu.entities import extract_entities
from handlers.nlu.features import Featurizer
from handlers.nlu.normalize import normalize as norm
from handlers.privacy import mask_personal
from tests.timing import best_time

MODULES = (entities, normalize, features, lexicon, danger, signals)
REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}


def _patterns():
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value


def _repeat_problems(items, inside_repeat: bool, top_level: bool) -> list[str]:
    problems = []
    for op, av in items:
        if op in REPEATS:
            lo, hi, sub = av
            unbounded = hi == sre_constants.MAXREPEAT
            if inside_repeat and hi > 1:
                problems.append("nested repeat")
            if unbounded and not (top_level and len(items) == 1):
                problems.append("unbounded repeat inside a larger pattern")
            problems += _repeat_problems(list(sub), inside_repeat or hi > 1, False)
        elif op == sre_constants.SUBPATTERN:
            problems += _repeat_problems(list(av[-1]), inside_repeat, top_level and len(items) == 1)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                problems += _repeat_problems(list(branch), inside_repeat, False)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            problems += _repeat_problems(list(av[1]), inside_repeat, False)
    return problems


@pytest.mark.parametrize(("name", "pattern"), list(_patterns()))
def test_no_pattern_can_backtrack(name, pattern):
    """Every quantifier is bounded (or is the whole pattern, like ``\\s+``) and none is nested in another."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    assert _repeat_problems(list(parsed), False, True) == [], name


WORST = {
    "chinese numerals": "一" * 5000,
    "digits": "1" * 5000,
    "mixed numerals": "一1二2三万3.5元" * 500,
    "emoji flood": "😀🙏🔥👍" * 1250,
    "stickers": "[捂脸]" * 1000,
    "mentions": "@张警官\u2005" * 700,
    "rooms": "8栋2单元" * 700,
    "unicode": "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(5000)),
}


@pytest.fixture(scope="module")
def featurizer() -> Featurizer:
    return Featurizer.load()


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    clf = Classifier()
    clf.warm_up()
    return clf


def _linear(fn, text: str, small: int = 1000, factor: int = 4) -> None:
    """Four times the input may take at most ~4 times as long (with slack for timer noise on a shared
    machine): a quadratic pattern would take 16 times as long, a cubic one 64 times."""
    fn(text[:small])  # warm caches
    for _ in range(3):  # a real quadratic fails every attempt; a busy machine rarely slows all three
        short, long = best_time(fn, text[:small]), best_time(fn, text[:small * factor])
        if long <= factor * 3.0 * short + 0.005:
            return
    assert long <= factor * 3.0 * short + 0.005, (short, long)


@pytest.mark.parametrize("kind", list(WORST))
def test_entities_and_masking_are_linear(kind):
    _linear(extract_entities, WORST[kind])
    _linear(mask_personal, WORST[kind])


@pytest.mark.parametrize("kind", list(WORST))
def test_normalize_and_features_are_linear(kind, featurizer):
    _linear(norm, WORST[kind])
    _linear(lambda t: featurizer.read(norm(t)), WORST[kind], small=500)


@pytest.mark.parametrize("kind", list(WORST))
def test_classify_worst_inputs_finish_fast(kind, classifier):
    # classify reads at most MAX_CHARS characters, so a 5,000-character flood costs about what 1,000 do
    head = WORST[kind][:MAX_CHARS]
    for _ in range(3):  # a busy machine rarely slows all three tries
        flood, read = best_time(classifier.classify, WORST[kind]), best_time(classifier.classify, head)
        if flood <= 2 * read + 0.002:
            break
    assert flood <= 2 * read + 0.002, (flood, read)
    assert classifier.classify(WORST[kind]).intent


def test_lexicon_parsing_is_linear():
    table = "\n".join(f"fraud\t1\t词{i}|语{i}+!不{i}" for i in range(4000))
    _linear(lambda text: lexicon.parse_cues(text.rsplit("\n", 1)[0]), table, small=20000)


def test_word_finder_is_linear():
    finder = lexicon.WordFinder(["一二", "一一一一一一一一二", "11", "1" * 30])
    _linear(finder.find, "一" * 8000, small=2000)
    _linear(finder.find, "1" * 8000, small=2000)


def _every_substring_in(words: frozenset[str], text: str) -> set[str]:  # the definition WordFinder must keep
    return {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1) if text[i:j] in words}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab骗子转账了", min_size=0, max_size=4), max_size=12),
       st.text(alphabet="ab骗子转账了 x", max_size=40))
def test_word_finder_finds_every_word_that_occurs_overlaps_included(words, text):
    finder = lexicon.WordFinder(words)
    assert finder.find(text) == _every_substring_in(finder.words, text)


def test_word_finder_on_the_shipped_tables_matches_the_definition(featurizer):
    finder = featurizer.finder
    for text in ("收到,谢谢大家", "楼道里着火了 好大的烟 救命", "有人冒充客服让我下载app共享屏幕", "哈" * 300, ""):
        assert finder.find(text) == _every_substring_in(finder.words, text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_entities_are_substrings_and_masking_keeps_length(text):
    found = extract_entities(text)
    for values in (found.phones, found.id_cards, found.amounts, found.rooms, found.times):
        assert all(v and v in text for v in values)
    masked = mask_personal(text)
    assert len(masked) == len(text)
    assert mask_personal(masked) == masked


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_normalize_gives_canonical_text(text):
    out = norm(text)
    assert out == out.strip() and "  " not in out
    assert not any("A" <= ch <= "Z" for ch in out)
    assert all(ch.isprintable() or ch == " " for ch in out)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("fraud\t1.5+|!#骗子 \n-xe9"), max_size=60))
def test_cue_parsing_accepts_or_raises_value_error(line):
    try:
        cue = lexicon.parse_cue(line)
    except ValueError:
        return
    assert cue is None or (cue.terms and isinstance(cue.weight, float))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_features_danger_and_signals_are_well_formed(featurizer, text):
    reading = featurizer.read(norm(text))
    prefixes = ("c:", "b:", "t:", "w:", "q:", "sw", "s:", "len:", "d:")
    assert all(isinstance(f, str) and f.startswith(prefixes) for f in reading.features)
    assert 0.0 <= reading.danger.probability <= 1.0
    assert reading.danger.category is None or reading.danger.category in danger.CATEGORIES
    assert set(reading.signals.kinds) <= set(signals.KINDS)


def _strip_symbols_char_by_char(text: str) -> str:  # the definition the fast path must keep
    import unicodedata
    out = []
    for ch in normalize._STICKER.sub(" ", text):
        if ch.isascii():
            out.append(ch if ch.isprintable() else " ")
        elif "\u4e00" <= ch <= "\u9fff" or unicodedata.category(ch) not in normalize._EMOJI_CATEGORIES:
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


def _typos_pair_by_pair(text: str, typos: tuple[tuple[str, str], ...]) -> str:
    for wrong, right in typos:
        text = text.replace(wrong, right)
    return text


TEXTS = st.text(alphabet=st.sampled_from("ab 骗子转账[强]👍\t\n\x00～ＡＢ個人丟了yzm嘛咗"), max_size=40) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_strip_symbols_fast_path_gives_what_each_character_would(text):
    assert normalize.strip_symbols(text) == _strip_symbols_char_by_char(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.tuples(st.text(alphabet="ab骗子转账yzm咗", min_size=1, max_size=3),
                                 st.text(alphabet="ab骗子转账了", max_size=3)), max_size=6).map(tuple))
def test_typos_fast_path_gives_what_every_pair_in_order_would(text, typos):
    assert normalize.apply_typos(text, typos) == _typos_pair_by_pair(text, typos)
    shipped = lexicon.load_typos()
    assert normalize.apply_typos(text, shipped) == _typos_pair_by_pair(text, shipped)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_intake_screen_trigger_pass_changes_no_answer(data):
    """The priority screen skips its full pass when no trigger word occurs: the answer is the full pass's."""
    screen = priority._screen()
    words = sorted(screen.finder.words)
    pieces = st.sampled_from(words) | st.text(alphabet="的了 我在家现在不是没", max_size=3)
    text = "".join(data.draw(st.lists(pieces, max_size=8)))
    assert priority.screen_text(screen, text) == priority.screen_text(replace(screen, triggers=None), text)
