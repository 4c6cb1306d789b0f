"""The classifier: danger detector and text signals first, then calibrated logistic-regression heads."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from handlers.nlu import lexicon
from handlers.nlu.entities import extract_entities
from handlers.nlu.features import Featurizer, Reading, tokenizer
from handlers.nlu.label import INTENTS, Entities, Label
from handlers.nlu.model import Model
from handlers.nlu.normalize import find_mentions, normalize
from handlers.nlu.policy import Decision, Thresholds, decide, pick_intent

MAX_CHARS = 1000  # the classifier reads at most this much of a message: a pasted essay must not stall it
SCAM_WORD_LOGIT = 20.0  # default evidence (calibrated logits) of an officer-added scam word; model policy overrides
MAX_CUES = 6
CONFIDENT_TYPE = 0.8


@dataclass(frozen=True)
class Knowledge:
    """Everything the classifier knows, loaded from the package's data files."""

    featurizer: Featurizer
    model: Model
    typos: tuple[tuple[str, str], ...]
    scam_words: dict[str, str]

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds.from_dict(self.model.policy.get("thresholds"))

    @classmethod
    def load(cls, model: Model | None = None) -> "Knowledge":
        """The shipped (or a freshly trained) model with its lexicons. A model whose intent classes are not the
        intents gridbot routes is refused here, at start-up, not at the first message it cannot route."""
        model = model or Model.from_json(lexicon.read_data("model.json"))
        head = model.heads.get("intent")
        if head is None or sorted(head.classes) != sorted(INTENTS):
            raise ValueError(f"model.json: its intents {sorted(head.classes) if head else []} are not the routed "
                             f"intents {sorted(INTENTS)}: retrain with python -m handlers.nlu.train")
        return cls(
            featurizer=Featurizer.load(),
            model=model,
            typos=lexicon.load_typos(),
            scam_words=lexicon.load_scam_words(),
        )


class Classifier:
    """Classify residents' messages.  ``extra_scam_words`` are officer-added words (``/scamword``)."""

    def __init__(self, knowledge: Knowledge | None = None, extra_scam_words: Iterable[str] = ()) -> None:
        self.knowledge = knowledge or Knowledge.load()
        self.thresholds = self.knowledge.thresholds
        self.scam_word_logit = float(self.knowledge.model.policy.get("scam_word_logit", SCAM_WORD_LOGIT))
        self.extra_scam_words: dict[str, str] = {}
        self.add_scam_words(extra_scam_words)

    def warm_up(self) -> None:
        tokenizer()
        self.classify("警官你好 请问身份证在哪里办理")

    def _norm_word(self, word: str) -> str:
        return normalize(word, self.knowledge.typos)

    def add_scam_words(self, words: Iterable[str], scam_type: str = "other") -> None:
        """Officer-added words: from the next call on, a message containing one is pushed hard towards
        fraud (strong evidence added to the model's, ignored in a forwarded official notice)."""
        if isinstance(words, str):
            words = [words]
        for word in words:
            norm = self._norm_word(word)
            if norm:
                self.extra_scam_words[norm] = self.knowledge.scam_words.get(norm, scam_type)

    def remove_scam_words(self, words: Iterable[str]) -> None:
        if isinstance(words, str):
            words = [words]
        for word in words:
            self.extra_scam_words.pop(self._norm_word(word), None)

    def set_scam_words(self, words: Iterable[str]) -> None:
        """Replace the officer-added words (e.g. after reloading them from the database)."""
        self.extra_scam_words = {}
        self.add_scam_words(words)

    def decide(self, label: Label) -> Decision:
        """What the bot may do with ``label`` under the shipped thresholds (``policy.decide``)."""
        return decide(label, self.thresholds)

    def classify(self, text: str) -> Label:
        raw = str(text)[:MAX_CHARS]
        norm = normalize(raw, self.knowledge.typos)
        reading = self.knowledge.featurizer.read(norm, tuple(find_mentions(raw)) if "@" in raw else ())
        hits = [(w, t) for w, t in self.extra_scam_words.items() if w in norm]
        bonus = {}
        if hits and "notice" not in reading.signals.kinds:
            bonus = {"intent": {"fraud": self.scam_word_logit}}
            typed = [t for _, t in hits if t != "other"]
            bonus["scam_type"] = {typed[0]: self.scam_word_logit} if typed else {}
        extra = ("诈骗词:" + "+".join(w for w, _ in hits[:3]),) if bonus else ()
        return build_label(self.knowledge.model, self.thresholds, reading, extract_entities(norm), bonus, extra)


class DeferredClassifier:
    """A ``Classifier`` built (and warmed) on first use, so a server can accept messages while the model and
    jieba's dictionary load in the background; every attribute is the real classifier's.  Thread-safe: the
    first caller builds it, concurrent callers wait for that one."""

    def __init__(self, factory: Callable[[], Classifier] = Classifier) -> None:
        self._factory, self._lock, self._real = factory, threading.Lock(), None

    @property
    def built(self) -> bool:
        return self._real is not None

    def real(self) -> Classifier:
        if self._real is None:
            with self._lock:
                if self._real is None:
                    classifier = self._factory()
                    classifier.warm_up()
                    self._real = classifier
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


def build_label(model: Model, thresholds: Thresholds, reading: Reading, entities: Entities = Entities(),
                bonus: dict[str, dict[str, float]] | None = None, extra_cues: tuple[str, ...] = ()) -> Label:
    """The label for one read message (shared by ``Classifier`` and cross-validation)."""
    bonus = bonus or {}
    heads, feats = model.heads, reading.features
    probs = heads["intent"].probabilities(feats, bonus.get("intent"))
    intent = pick_intent(probs, reading.danger, thresholds)
    subtype = scam_type = None
    if intent == "dispute" and "subtype" in heads:
        subtype = _top(heads["subtype"].probabilities(feats))
    elif intent == "fraud" and "scam_type" in heads:
        types = heads["scam_type"].probabilities(feats, bonus.get("scam_type"))
        scam_type = _top(types)
        word_made_it = bool(bonus.get("intent")) and heads["intent"].probabilities(feats)["fraud"] < 0.5
        if word_made_it and not bonus.get("scam_type") and types[scam_type] < CONFIDENT_TYPE:
            scam_type = "other"  # fraud only because of an officer's word of unknown type: do not guess one
    urgent = intent == "help"
    if intent in ("fraud", "dispute") and "urgent" in heads:
        urgent = heads["urgent"].probabilities(feats).get("true", 0.0) >= 0.5
    cues = extra_cues + _cues(model, reading, intent, probs)
    signals = reading.signals
    return Label(
        intent, subtype, scam_type, urgent, probs[intent], cues, entities,
        probabilities=tuple(probs.items()), danger=reading.danger, signals=signals.names(),
        about_bot=signals.about_bot, addressed_greeting=signals.addressed_greeting,
    )


def _top(probs: dict[str, float]) -> str:
    return max(probs, key=lambda c: (probs[c], c == "other"))


def _cues(model: Model, reading: Reading, intent: str, probs: dict[str, float]) -> tuple[str, ...]:
    head = model.heads["intent"]
    names = list(reading.danger.cues[:2]) if reading.danger.category else []
    i = head.classes.index(intent)
    strong = []
    for cue in reading.cues:
        w = head.weights.get("q:" + cue.label + ":" + cue.pattern)
        if w and w[i] - sum(w) / len(w) > 0.0:
            strong.append((-(w[i] - sum(w) / len(w)), cue.shown(reading.found).split(".", 1)[-1]))
    names += [name for _, name in sorted(strong)[:2]]
    names.append(f"model:{intent}={probs[intent]:.2f}")
    names += ["词:" + f[2:] for f in head.evidence(reading.words, intent)]
    return tuple(dict.fromkeys(names))[:MAX_CUES]
