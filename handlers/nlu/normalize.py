"""Text normalisation: full-width, traditional characters, emoji, @mentions, typos."""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

_MENTION = re.compile(r"@[^\s\u2005@]{1,24}(?:[\u2005\s]{1,8}|$)")
_STICKER = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_SPACES = re.compile(r"\s+")
_PLAIN = re.compile(r"[ -~\u4e00-\u9fff]*")  # printable ASCII and CJK ideographs: strip_symbols keeps them as they are
# Characters that are pictures or marks rather than words (emoji, dingbats, variation selectors).
_EMOJI_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Mn", "Me", "Cf", "Cc"})


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Characters that OpenCC's t2s table changes; a cheap gate before the slow conversion."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1 and parts[1].split(" ")[0] != parts[0]:
                chars.add(parts[0])
    return frozenset(chars)


def to_simplified(text: str) -> str:
    if traditional_chars().isdisjoint(text):
        return text
    return _opencc().convert(text)


def strip_mentions(text: str) -> str:
    return _MENTION.sub(" ", text)


def find_mentions(text: str) -> list[str]:
    """The @names in a raw message (NFKC-folded and lower-cased), e.g. ``["社区警务助手"]``."""
    text = unicodedata.normalize("NFKC", text)
    return [m.group().strip()[1:].lower() for m in _MENTION.finditer(text)]


def strip_symbols(text: str) -> str:
    """Replace emoji, stickers like [捂脸] and control characters with spaces."""
    text = _STICKER.sub(" ", text)
    if _PLAIN.fullmatch(text):
        return text  # nothing to replace: no emoji, mark or control character
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch if ch.isprintable() else " ")
        elif "\u4e00" <= ch <= "\u9fff":
            out.append(ch)
        elif unicodedata.category(ch) in _EMOJI_CATEGORIES:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def apply_typos(text: str, typos: tuple[tuple[str, str], ...]) -> str:
    if not typos or not _typo_finder(typos).search(text):
        return text  # no wrong form occurs, so none is replaced and none can appear: one scan, not one per pair
    for wrong, right in typos:
        if wrong in text:
            text = text.replace(wrong, right)
    return text


_TYPO_FINDERS: dict[int, tuple[tuple[tuple[str, str], ...], re.Pattern]] = {}


def _typo_finder(typos: tuple[tuple[str, str], ...]) -> re.Pattern:
    """One pattern matching any wrong form of ``typos``, kept per table (by identity: hashing the table would
    cost as much as the scan it saves)."""
    cached = _TYPO_FINDERS.get(id(typos))
    if cached is None or cached[0] is not typos:
        if len(_TYPO_FINDERS) >= 8:
            _TYPO_FINDERS.clear()
        pattern = re.compile("|".join(re.escape(wrong) for wrong, _ in sorted(typos, key=lambda t: -len(t[0]))))
        cached = _TYPO_FINDERS[id(typos)] = (typos, pattern)
    return cached[1]


def normalize(text: str, typos: tuple[tuple[str, str], ...] = ()) -> str:
    """Return the canonical form every later stage works on (simplified, half-width, lower case)."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_mentions(text)
    text = strip_symbols(text)
    text = to_simplified(text)
    text = text.lower()
    text = apply_typos(text, typos)
    return _SPACES.sub(" ", text).strip()
