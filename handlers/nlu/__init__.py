"""Message classifier for residents' group messages: intent, subtype, scam type, urgency, entities."""
from __future__ import annotations

import threading

from handlers.nlu.classifier import Classifier, DeferredClassifier
from handlers.nlu.danger import Danger
from handlers.nlu.label import Entities, Label
from handlers.nlu.policy import Decision, Thresholds

__all__ = [
    "Classifier", "Danger", "DeferredClassifier", "Decision", "Entities", "Label", "Thresholds", "classify", "decide", "get_classifier",
    "warm_up",
]

_lock = threading.Lock()
_default: Classifier | None = None


def get_classifier() -> Classifier:
    """The shared classifier, built on first use (call ``warm_up`` at start-up to pay that early)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Classifier()
    return _default


def classify(text: str) -> Label:
    return get_classifier().classify(text)


def decide(label: Label) -> Decision:
    """What the bot may do with ``label`` (public / private / clarify / silent) under the shipped thresholds."""
    return get_classifier().decide(label)


def warm_up() -> None:
    """Load jieba's dictionary, the model and the cue tables now rather than on the first message."""
    get_classifier().warm_up()
