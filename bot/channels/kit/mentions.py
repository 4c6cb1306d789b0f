"""Stripping @-mentions from chat text (AI bot ``@Bot `` prefixes, Wechaty U+2005 mentions)."""
from __future__ import annotations

import re

MENTION_SPACE = "\u2005"  # what WeChat puts after an @name
_LEADING = re.compile(r"^\s*@[^\s\u2005]+[ \t\u2005\u3000]*")
_ANY = re.compile(r"@[^\s\u2005@]+\u2005")


def strip_leading_mention(text: str) -> str:
    """Drop one leading ``@Name`` (ended by a space or U+2005) and surrounding blanks."""
    return _LEADING.sub("", text, count=1).strip()


def strip_mentions(text: str) -> str:
    """Drop every ``@Name\u2005`` mention and a leading ``@Name `` prefix."""
    return strip_leading_mention(_ANY.sub("", text))
