"""Text normalisation: full-width, traditional characters, emoji, @mentions, typos."""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

_MENTION = re.compile(r"@[^\s\u2005@]{1,24}(?:[\u2005\s]{1,8}|$)")
_STICKER = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_SPACES = re.compile(r"\s+")
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
    trad = traditional_chars()
    if any(ch in trad for ch in text):
        return _opencc().convert(text)
    return text


def strip_mentions(text: str) -> str:
    return _MENTION.sub(" ", text)


def find_mentions(text: str) -> list[str]:
    """The @names in a raw message (NFKC-folded and lower-cased), e.g. ``["社区警务助手"]``."""
    text = unicodedata.normalize("NFKC", text)
    return [m.group().strip()[1:].lower() for m in _MENTION.finditer(text)]


def strip_symbols(text: str) -> str:
    """Replace emoji, stickers like [捂脸] and control characters with spaces."""
    text = _STICKER.sub(" ", text)
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
    for wrong, right in typos:
        if wrong in text:
            text = text.replace(wrong, right)
    return text


def normalize(text: str, typos: tuple[tuple[str, str], ...] = ()) -> str:
    """Return the canonical form every later stage works on (simplified, half-width, lower case)."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_mentions(text)
    text = strip_symbols(text)
    text = to_simplified(text)
    text = text.lower()
    text = apply_typos(text, typos)
    return _SPACES.sub(" ", text).strip()
