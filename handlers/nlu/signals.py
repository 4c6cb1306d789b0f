"""Text signals from ``data/signals.tsv``: forwarded or quoted text, notices, who is speaking, question,
tense, greetings and acknowledgements, and whether the bot itself is addressed or asked about."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from handlers.nlu import lexicon

KINDS = (
    "forwarded", "notice", "official", "quote", "self", "media", "question", "past", "now",
    "greeting", "ack", "about_bot", "bot_name", "victim", "money_moved", "asks_scam",
)
# Characters that carry no content once greetings and acknowledgements are removed.
FILLER = frozenset("啊呀呢吧哦嘛啦哈嗯哇噢喔~!.,?:;…-_+*#=/ 的了么滴哒咯")
SHORT = 12  # a text this short that names the bot is about the bot


@dataclass(frozen=True, slots=True)
class Signals:
    kinds: frozenset[str] = frozenset()
    greet_only: bool = False  # nothing but a greeting or opener (你好, 有人吗, 加我一下)
    ack_only: bool = False  # nothing but an acknowledgement, thanks or applause (收到, 好的, 1)
    empty: bool = False  # no letters or digits at all (emoji, stickers, punctuation)
    addressed: bool = False  # the bot is @-mentioned or named
    about_bot: bool = False  # a question or remark about the bot itself (你是机器人吗)
    addressed_greeting: bool = False  # the bot is addressed with nothing but a greeting

    @property
    def bare(self) -> bool:
        """A greeting, acknowledgement or emoji line with nothing else in it."""
        return self.greet_only or self.ack_only or self.empty

    def names(self) -> tuple[str, ...]:
        flags = ("greet_only", "ack_only", "empty", "addressed", "about_bot", "addressed_greeting")
        return tuple(dict.fromkeys(tuple(sorted(self.kinds)) + tuple(f for f in flags if getattr(self, f))))


def parse_signals(text: str) -> tuple[lexicon.Cue, ...]:
    cues = lexicon.parse_cues(text)
    for cue in cues:
        if cue.label not in KINDS:
            raise ValueError(f"unknown signal kind {cue.label!r}")
    return cues


class SignalReader:
    def __init__(self, cues: Iterable[lexicon.Cue]) -> None:
        self.cues = lexicon.CueIndex(cues)
        by_kind: dict[str, set[str]] = {}
        for cue in self.cues.cues:
            for term in cue.terms:
                by_kind.setdefault(cue.label, set()).update(term.positive)
        self.greeting_words = frozenset(by_kind.get("greeting", ()))
        self.ack_words = frozenset(by_kind.get("ack", ()))
        self.bot_words = frozenset(by_kind.get("bot_name", ()))

    @classmethod
    def load(cls) -> "SignalReader":
        return cls(parse_signals(lexicon.read_data("signals.tsv")))

    def words(self) -> set[str]:
        return {w for cue in self.cues.cues for w in cue.words()}

    def read(self, text: str, found: set[str], mentions: Iterable[str] = ()) -> Signals:
        """``text``: normalised; ``found``: lexicon words present in it; ``mentions``: @names in the raw text."""
        kinds = frozenset(cue.label for cue in self.cues.scan(found))
        compact = "".join(ch for ch in text if ch not in FILLER)
        empty = not any(ch.isalnum() for ch in text)
        mentions = tuple(mentions)
        addressed = "bot_name" in kinds or any(w in m for m in mentions for w in self.bot_words)
        greet = _strip(compact, found & self.greeting_words)
        ack = _strip(greet, found & self.ack_words)
        bot_rest = _strip(ack, found & self.bot_words)
        greet_only = not empty and not greet and bool(found & self.greeting_words)
        ack_only = not empty and not greet_only and not ack and bool(found & (self.ack_words | self.greeting_words))
        about = "about_bot" in kinds and (addressed or "question" in kinds or len(compact) <= SHORT)
        addressed_greeting = addressed and not bot_rest and bool(found & self.greeting_words or empty or not compact)
        return Signals(kinds, greet_only, ack_only, empty, addressed, about, addressed_greeting)


def _strip(text: str, words: Iterable[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text
