"""The FAQ: a police-services knowledge base (data/kb/*.toml, one file per domain) with retrieval.

- ``kb``: the packaged topics, and the officers' entries applied over them;
- ``text`` / ``bm25`` / ``index``: normalisation, terms, BM25 ranking, coverage and anchors;
- ``retrieve``: the decision — answer (one or several topics), clarify, or none — with its confidence;
- ``library``: what one app serves, rebuilt when the officers' entries change (every process, next message);
- ``answer``: the words of a reply; ``about``: messages about the bot itself or greetings to it;
- ``evaluate`` (``gridbot faq-eval``) and ``tune`` (``python -m handlers.faq.tune``).
"""
from __future__ import annotations

from functools import cache
from typing import Any

from handlers.faq.about import addressed_to_bot, is_about_bot, is_greeting
from handlers.faq.library import Library
from handlers.faq.retrieve import ANSWER, CLARIFY, NONE, Finding

__all__ = ["ANSWER", "CLARIFY", "NONE", "Finding", "Library", "addressed_to_bot", "default_library",
           "is_about_bot", "is_greeting", "library_of"]


@cache
def default_library() -> Library:
    """The process's Library, for callers that were not handed one (an app's pipeline hands its own)."""
    return Library()


def library_of(ctx: Any) -> Library:
    return getattr(ctx, "faq", None) or default_library()
