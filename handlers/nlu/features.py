"""Features for the learned model: jieba words and character bigrams of the normalised text."""
from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = re.compile(r"\d+")
_SKIP = frozenset(" ,.!?:;'\"()[]{}<>-_/\\|~`@#$%^&*+=，。！？：；、“”‘’（）【】《》…—·~")


@lru_cache(maxsize=1)
def tokenizer():
    """jieba's shared tokenizer with our domain dictionary added (loads jieba's dictionary)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    from handlers.nlu.lexicon import read_data

    for line in read_data("userdict.txt").splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 else None
            jieba.add_word(parts[0], freq=freq, tag=parts[2] if len(parts) > 2 else None)
    return jieba.dt


def words(text: str) -> list[str]:
    return [w for w in tokenizer().lcut(text, HMM=False) if w.strip() and w not in _SKIP]


def featurize(text: str) -> set[str]:
    """A set of features: "w:" + word, "b:" + character bigram (digits folded to 0)."""
    text = _DIGITS.sub("0", text)
    feats = {"w:" + w for w in words(text)}
    compact = "".join(ch for ch in text if ch not in _SKIP)
    feats.update("b:" + compact[i:i + 2] for i in range(len(compact) - 1))
    return feats
