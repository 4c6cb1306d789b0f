"""Editable knowledge shipped as data: cue tables, typo map, scam words, jieba user dictionary."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Iterable

DATA_PACKAGE = "handlers.nlu.data"


@dataclass(frozen=True, slots=True)
class Term:
    """One "+"-separated part of a pattern: any positive alternative present, no negative one."""

    positive: tuple[str, ...]
    negative: tuple[str, ...]

    def matches(self, text: str) -> bool:
        if self.positive and not any(word in text for word in self.positive):
            return False
        return not any(word in text for word in self.negative)


@dataclass(frozen=True, slots=True)
class Cue:
    label: str
    weight: float
    pattern: str
    terms: tuple[Term, ...]

    def matches(self, text: str) -> bool:
        return all(term.matches(text) for term in self.terms)

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
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    label, weight, pattern = line.split("\t")[:3]
    terms = tuple(parse_term(raw) for raw in pattern.lower().split("+"))
    return Cue(label=label.strip(), weight=float(weight), pattern=pattern, terms=terms)


def read_data(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def load_cues(name: str) -> tuple[Cue, ...]:
    cues = (parse_cue(line) for line in read_data(name).splitlines())
    return tuple(cue for cue in cues if cue is not None)


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


def scan(cues: Iterable[Cue], text: str) -> list[Cue]:
    return [cue for cue in cues if cue.matches(text)]
