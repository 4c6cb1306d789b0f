"""Editable knowledge shipped as data: cue tables, typo map, scam words, jieba user dictionary."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Iterable

import ahocorasick

DATA_PACKAGE = "handlers.nlu.data"


@dataclass(frozen=True, slots=True)
class Term:
    """One "+"-separated part of a pattern: any positive alternative present, no negative one."""

    positive: tuple[str, ...]
    negative: tuple[str, ...]

    def matches(self, found: frozenset[str] | set[str]) -> bool:
        """``found``: the set of lexicon words present in the text (see ``WordFinder``)."""
        if self.positive and found.isdisjoint(self.positive):
            return False
        return found.isdisjoint(self.negative)


@dataclass(frozen=True, slots=True)
class Cue:
    label: str
    weight: float
    pattern: str
    terms: tuple[Term, ...]

    def matches(self, found: frozenset[str] | set[str]) -> bool:
        return all(term.matches(found) for term in self.terms)

    def words(self) -> set[str]:
        return {w for t in self.terms for w in t.positive + t.negative}

    def shown(self, found: frozenset[str] | set[str]) -> str:
        """Like ``name``, with the alternatives that actually occur in the text."""
        parts = []
        for t in self.terms:
            hit = [w for w in t.positive if w in found]
            if t.positive:
                parts.append("/".join((hit or list(t.positive))[:2]))
        return f"{self.label}:{'+'.join(parts)}"

    @property
    def name(self) -> str:
        """Readable by an officer: strongest cues read as rules."""
        shown = "+".join(t.positive[0] if len(t.positive) == 1 else "/".join(t.positive[:3]) for t in self.terms if t.positive)
        return f"{self.label}:{shown}"


def parse_term(raw: str) -> Term:
    alts = [a.strip() for a in raw.split("|") if a.strip()]
    return Term(
        positive=tuple(a for a in alts if not a.startswith("!")),
        negative=tuple(a[1:] for a in alts if a.startswith("!")),
    )


def parse_cue(line: str) -> Cue | None:
    """One table line ``label<TAB>weight<TAB>pattern``; None for blank and comment lines.

    Raises ``ValueError`` (naming the line) for anything else that is not of that shape."""
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    parts = line.split("\t")
    if len(parts) < 3 or not parts[0].strip():
        raise ValueError(f"cue line needs label<TAB>weight<TAB>pattern: {line[:60]!r}")
    label, weight, pattern = parts[:3]
    try:
        value = float(weight)
    except ValueError:
        raise ValueError(f"cue weight is not a number: {line[:60]!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"cue weight is not finite: {line[:60]!r}")
    terms = tuple(parse_term(raw) for raw in pattern.lower().split("+"))
    terms = tuple(t for t in terms if t.positive or t.negative)
    if not terms:
        raise ValueError(f"cue pattern is empty: {line[:60]!r}")
    return Cue(label=label.strip(), weight=value, pattern=pattern, terms=terms)


def parse_cues(text: str) -> tuple[Cue, ...]:
    cues = (parse_cue(line) for line in text.splitlines())
    return tuple(cue for cue in cues if cue is not None)


def read_data(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def load_cues(name: str) -> tuple[Cue, ...]:
    return parse_cues(read_data(name))


def load_typos(name: str = "typos.txt") -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in read_data(name).splitlines():
        if line.strip() and not line.startswith("#"):
            wrong, right = line.split("\t")[:2]
            pairs.append((wrong.strip().lower(), right.strip().lower()))
    return tuple(pairs)


def parse_scam_words(lines: Iterable[str]) -> dict[str, str]:
    """Lines of "word" or "word<TAB>scam_type"; the type defaults to "other"."""
    words: dict[str, str] = {}
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.strip().split("\t")
        words[parts[0].strip().lower()] = parts[1].strip() if len(parts) > 1 else "other"
    return words


def load_scam_words(name: str = "scam_words.txt") -> dict[str, str]:
    return parse_scam_words(read_data(name).splitlines())


class WordFinder:
    """Finds which of a fixed set of words occur in a text (overlapping ones too) in one pass of an Aho-Corasick
    automaton (pyahocorasick, in C): linear in the text plus the matches, whatever the words' lengths."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for word in self.words:
            self._automaton.add_word(word, word)
        self._automaton.make_automaton()

    def find(self, text: str) -> set[str]:
        if not self.words:
            return set()
        return {word for _end, word in self._automaton.iter(text)}


class CueIndex:
    """Cues indexed by the words of their first term, so only cues that can match are checked."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        self.cues = tuple(cues)
        self.always: list[int] = []
        self.by_word: dict[str, list[int]] = {}
        for i, cue in enumerate(self.cues):
            first = cue.terms[0].positive if cue.terms else ()
            if not first:
                self.always.append(i)
            for word in first:
                self.by_word.setdefault(word, []).append(i)

    def scan(self, found: set[str]) -> list[Cue]:
        candidates = set(self.always)
        for word in found:
            candidates.update(self.by_word.get(word, ()))
        return [self.cues[i] for i in sorted(candidates) if self.cues[i].matches(found)]


def scan(cues: Iterable[Cue], found: set[str]) -> list[Cue]:
    return [cue for cue in cues if cue.matches(found)]
