"""Split text into parts that fit a UTF-8 byte limit, at line or sentence boundaries.

Parts are numbered "(1/3) …" when there is more than one. A part is never cut inside a
character; a single over-long sentence is cut between characters as a last resort.
"""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;…])|(?<=[.] )")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, max_bytes: int) -> list[str]:
    """``text`` as one or more numbered parts, each at most ``max_bytes`` UTF-8 bytes."""
    if max_bytes < 32:
        raise ValueError("max_bytes must be at least 32")
    text = text.strip() or text
    if utf8_len(text) <= max_bytes:
        return [text]
    count = 2
    while True:
        budget = max_bytes - utf8_len(_label(count, count))
        parts = _pack(_pieces(text, budget), budget)
        if len(parts) <= count or len(str(len(parts))) == len(str(count)):
            return [_label(i, len(parts)) + part for i, part in enumerate(parts, 1)]
        count = len(parts)


def _label(index: int, total: int) -> str:
    return f"({index}/{total}) "


def _pieces(text: str, budget: int) -> list[str]:
    """Lines (with their newline), broken into sentences, then characters, until each fits."""
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        if utf8_len(line) <= budget:
            pieces.append(line)
            continue
        for sentence in (s for s in _SENTENCE_END.split(line) if s):
            pieces.extend([sentence] if utf8_len(sentence) <= budget else _by_chars(sentence, budget))
    return pieces


def _by_chars(text: str, budget: int) -> list[str]:
    chunks, current, size = [], [], 0
    for char in text:
        width = utf8_len(char)
        if size + width > budget:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        chunks.append("".join(current))
    return chunks


def _pack(pieces: list[str], budget: int) -> list[str]:
    """Greedily join pieces into parts of at most ``budget`` bytes, trimming edge whitespace."""
    parts, current, size = [], "", 0
    for piece in pieces:
        width = utf8_len(piece)
        if current and size + width > budget:
            parts.append(current)
            current, size = "", 0
        current += piece
        size += width
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]
