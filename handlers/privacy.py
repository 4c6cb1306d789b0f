"""Personal data in text: the one place that masks it. ``mask_personal`` is the one masking function every public
text, every staff card for non-police roles, every list view and every log line goes through; names and addresses
have their own short forms here too (``mask_name``, ``mask_address``).

What counts as a personal number (after full-width digits are read as digits, separators — spaces, hyphens,
dashes — between digit groups ignored):

- a mobile: 11 digits 1[3-9]…, optionally after 86 / +86 / 0086 → 138****5678 (first 3 and last 4 kept);
- a landline: 0 + area code (3 digits for 01x/02x, else 4) + 7–8 digits, an extension after it left alone
  → 0571-*****88 (the area code and the last 2 kept);
- an ID-card number: 18 characters (17 digits + a digit or X, a valid birth date) or 15 digits (old style, a valid
  YYMMDD) → 1101**********1234 (first 4 and last 4 kept);
- a bank card: 16–19 digits → 6222***********0123 (first 4 and last 4 kept).

Anything else — dates, amounts, room numbers (3栋502), times — is left as it is. Digits are found by one linear
scan; each run of digit groups is tried from its longest sub-run down, at most ``_MAX_DIGITS`` digits each.
"""
from __future__ import annotations

import re

from handlers import texts
from handlers.roles import POLICE

_DIGIT = "0-9\uff10-\uff19"  # half- and full-width
_SEP = " \u3000\\-\uff0d\u2010-\u2015"  # spaces, hyphens, dashes (half- and full-width)
# A run of digit groups joined by short separators, optionally led by + and ended by an X (an ID's check digit).
# Every step consumes a digit after an optional separator run of bounded length, so the scan is linear.
_RUN = re.compile(rf"[+\uff0b]?[{_DIGIT}](?:[{_SEP}]{{0,3}}[{_DIGIT}])*(?:[Xx\uff38\uff58](?![A-Za-z]))?")
_GROUP = re.compile(rf"[{_DIGIT}]+[Xx\uff38\uff58]?")
_MAX_DIGITS = 20
_DIGITS = frozenset("0123456789Xx" + "".join(chr(c) for c in range(0xFF10, 0xFF1A)) + "\uff38\uff58")

_MOBILE = re.compile(r"(?:0086|86|0)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:[12]\d|[3-9]\d{2})\d{7,8}")
_ID_18 = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
_ID_15 = re.compile(r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_BANK = re.compile(r"\d{16,19}")


def _keep(digits: str) -> tuple[int, int] | None:
    """(digits kept at the front, at the end) when ``digits`` is a personal number, else None."""
    if _MOBILE.fullmatch(digits):
        return len(digits) - 8, 4
    if _LANDLINE.fullmatch(digits):
        return (3 if digits[1] in "12" else 4), 2
    if _ID_18.fullmatch(digits) or _ID_15.fullmatch(digits) or _BANK.fullmatch(digits):
        return 4, 4
    return None


def _plain(group: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "\uff10" <= c <= "\uff19" or c in "\uff38\uff58" else c
                   for c in group).upper()


def _mask_span(groups: list[re.Match], keep: tuple[int, int], run: str) -> str:
    """The text of ``groups`` (and what lies between them) with every digit but the kept ones starred."""
    start, end = groups[0].start(), groups[-1].end()
    total = sum(len(g.group()) for g in groups)
    head, tail = keep
    out, seen = [], 0
    for ch in run[start:end]:
        if ch in _DIGITS:
            out.append(ch if seen < head or seen >= total - tail else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _mask_run(run: str) -> str:
    groups = list(_GROUP.finditer(run))
    pieces, done, i = [], 0, 0
    while i < len(groups):
        found, prefixes, digits = None, [], ""
        for j in range(i, len(groups)):  # the sub-runs from group i, at most _MAX_DIGITS digits long
            digits += _plain(groups[j].group())
            if len(digits) > _MAX_DIGITS:
                break
            prefixes.append((j, digits))
        for j, digits in reversed(prefixes):  # the longest personal number first
            keep = _keep(digits)
            if keep:
                found = j, keep
                break
        if found is None:
            i += 1
            continue
        j, keep = found
        pieces += [run[done:groups[i].start()], _mask_span(groups[i:j + 1], keep, run)]
        done, i = groups[j].end(), j + 1
    return "".join(pieces) + run[done:]


_MIN_DIGITS = 10  # the shortest personal number: a landline, 0 + a two-digit area code + 7 digits
_LONG_RUN = re.compile(rf"[{_DIGIT}](?:[{_SEP}]{{0,3}}[{_DIGIT}]){{{_MIN_DIGITS - 1}}}")  # a run long enough


def mask_personal(text: str) -> str:
    """Mask phones (mobile and landline, in any common form), ID-card numbers and bank-card numbers in ``text``."""
    if not text or not _LONG_RUN.search(text):  # most log lines: no run of ten digits, nothing to mask
        return text
    return _RUN.sub(_masked_run, text)


def _masked_run(found: re.Match) -> str:
    run = found.group()
    return run if len(run) < _MIN_DIGITS else _mask_run(run)  # fewer characters, fewer digits: nothing to mask


def for_reader(text: str, reader: object | None) -> str:
    """``text`` as a card's reader may see it: raw for the police (an officer; None: the grid's officer),
    masked for everyone else (mediators, the property company's mediator, grid workers, volunteers)."""
    return text if reader is None or getattr(reader, "role", None) in POLICE else mask_personal(text)


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    name = name.strip()
    return f"{name[0]}**" if name else texts.NOBODY


_UNIT = re.compile(r"^(.*(?:栋|幢|号楼|单元|座))(.+)$")
_TAIL = re.compile(r"(\d+)(室|号)?$")


def mask_address(address: str) -> str:
    """'幸福里1栋2单元301' → '幸福里1栋2单元***'; '沿街商铺12号' → '沿街商铺**号'."""
    found = _UNIT.match(address)
    if found:
        return found.group(1) + "***"
    return _TAIL.sub(lambda m: "**" + (m.group(2) or ""), address)


def name_for_reader(name: str, reader: object | None) -> str:
    """A resident's name as a list's reader may see it: whole for the police, 王** for everyone else."""
    return name if reader is None or getattr(reader, "role", None) in POLICE else mask_name(name)


def address_for_reader(address: str, reader: object | None) -> str:
    """An address as a list's reader may see it: whole for the police, down to the unit for everyone else."""
    return address if reader is None or getattr(reader, "role", None) in POLICE else mask_address(address)
