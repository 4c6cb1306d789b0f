"""The priority lane's pre-screen: at intake, is this message possibly a call for help or a fraud report?

It runs on the accept path (in the event loop, before the message is stored), so it must be far cheaper than the
classifier: one normalisation, one ``WordFinder`` pass over the trigger words (a scam phrase, or one required word
of each help/fraud intent cue and danger cue: without one of them nothing can flag the message; about half the
chatter of the training data has none), and only when one occurs a second pass over all the cue words and the
set look-ups (about 0.01-0.02 ms, against 0.13-0.5 ms for a classification).
It only decides which stored messages the worker takes first (``storage/claims.py``); the worker still classifies
every message in full, so a message it misses is handled as before, in arrival order, and one it flags wrongly
only goes a little earlier. Tuned for recall on the labelled eval set (docs/performance.md, "The priority lane").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from handlers.nlu import lexicon
from handlers.nlu.classifier import MAX_CHARS
from handlers.nlu.danger import DangerDetector
from handlers.nlu.normalize import normalize

NORMAL = 0
URGENT = 1  # a possible call for help or fraud report: the worker takes it (and its chat's older messages) first
LANE_INTENTS = ("help", "fraud")
CUE_EVIDENCE = 3.0  # the summed weight of matching help/fraud intent cues that flags a message
DANGER_PROBABILITY = 0.5


@dataclass(frozen=True)
class _Screen:
    typos: tuple[tuple[str, str], ...]
    triggers: lexicon.WordFinder | None  # None: some cue needs no word at all, so every text takes the full pass
    finder: lexicon.WordFinder
    cues: lexicon.CueIndex
    scam_words: frozenset[str]
    danger: DangerDetector


@cache
def _screen() -> _Screen:
    cues = [c for c in lexicon.load_cues("intent_cues.tsv") if c.label in LANE_INTENTS]
    danger = DangerDetector.load()
    scam_words = frozenset(lexicon.load_scam_words())
    words = set().union(*(c.words() for c in cues)) | danger.words() | scam_words
    required = [required_words(c) for c in cues + list(danger.cues.cues)]
    triggers = lexicon.WordFinder(set(scam_words).union(*required)) if all(required) else None
    return _Screen(lexicon.load_typos(), triggers, lexicon.WordFinder(words),
                   lexicon.CueIndex(cues), scam_words, danger)


def required_words(cue: lexicon.Cue) -> tuple[str, ...]:
    """Words of which one must occur for ``cue`` to match: the alternatives of its first term that has any."""
    return next((term.positive for term in cue.terms if term.positive), ())


def warm_up() -> None:
    """Load the tables now rather than on the first accepted message."""
    _screen()


def intake_priority(text: str | None) -> int:
    """``URGENT`` for a message that may be a call for help or a fraud report, else ``NORMAL``."""
    return screen_text(_screen(), text)


def screen_text(screen: _Screen, text: str | None) -> int:
    if not text:
        return NORMAL
    norm = normalize(str(text)[:MAX_CHARS], screen.typos)
    if screen.triggers is not None and not screen.triggers.find(norm):
        return NORMAL  # no scam phrase and no cue can match
    found = screen.finder.find(norm)
    if not screen.scam_words.isdisjoint(found):
        return URGENT
    if sum(cue.weight for cue in screen.cues.scan(found)) >= CUE_EVIDENCE:
        return URGENT
    danger = screen.danger.detect(norm, found)
    return URGENT if danger.category is not None and danger.probability >= DANGER_PROBABILITY else NORMAL
