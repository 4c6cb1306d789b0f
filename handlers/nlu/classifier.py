"""The hybrid classifier: data-driven cue rules plus a naive Bayes model, with readable cues."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from handlers.nlu import lexicon
from handlers.nlu.entities import extract_entities
from handlers.nlu.features import featurize, tokenizer
from handlers.nlu.label import INTENTS, Entities, Label
from handlers.nlu.model import NaiveBayes, load_models
from handlers.nlu.normalize import normalize
from handlers.nlu.scoring import pick_intent, pick_subtype, pick_scam_type, is_urgent

MAX_CHARS = 2000  # longer messages are cut: a pasted essay must not stall the pipeline


@dataclass(frozen=True)
class Knowledge:
    """Everything the classifier knows, loaded from the package's data files."""

    models: dict[str, NaiveBayes]
    intent_cues: tuple[lexicon.Cue, ...]
    subtype_cues: tuple[lexicon.Cue, ...]
    scam_cues: tuple[lexicon.Cue, ...]
    urgent_cues: tuple[lexicon.Cue, ...]
    typos: tuple[tuple[str, str], ...]
    scam_words: dict[str, str]

    def __post_init__(self) -> None:
        tables = self.intent_cues + self.subtype_cues + self.scam_cues + self.urgent_cues
        object.__setattr__(self, "finder", lexicon.WordFinder(w for cue in tables for w in cue.words()))
        for name in ("intent_cues", "subtype_cues", "scam_cues", "urgent_cues"):
            object.__setattr__(self, name + "_index", lexicon.CueIndex(getattr(self, name)))

    @classmethod
    def load(cls) -> "Knowledge":
        return cls(
            models=load_models(lexicon.read_data("model.json")),
            intent_cues=lexicon.load_cues("intent_cues.tsv"),
            subtype_cues=lexicon.load_cues("subtype_cues.tsv"),
            scam_cues=lexicon.load_cues("scam_cues.tsv"),
            urgent_cues=lexicon.load_cues("urgent_cues.tsv"),
            typos=lexicon.load_typos(),
            scam_words=lexicon.load_scam_words(),
        )


class Classifier:
    """Classify residents' messages.  ``extra_scam_words`` maps officer-added words to a scam type."""

    def __init__(self, knowledge: Knowledge | None = None, extra_scam_words: Iterable[str] = ()) -> None:
        self.knowledge = knowledge or Knowledge.load()
        self.extra_scam_words: dict[str, str] = {}
        self.add_scam_words(extra_scam_words)

    def warm_up(self) -> None:
        tokenizer()
        self.classify("警官你好 请问身份证在哪里办理")

    def _norm_word(self, word: str) -> str:
        return normalize(word, self.knowledge.typos)

    def add_scam_words(self, words: Iterable[str], scam_type: str = "other") -> None:
        """Make any message containing one of ``words`` classify as fraud from the next call on."""
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

    def _scam_word_hits(self, text: str) -> list[tuple[str, str]]:
        hits = [(w, t) for w, t in self.knowledge.scam_words.items() if w in text]
        hits += [(w, t) for w, t in self.extra_scam_words.items() if w in text]
        return hits

    def classify(self, text: str) -> Label:
        norm = normalize(str(text)[:MAX_CHARS], self.knowledge.typos)
        entities = extract_entities(norm)
        if not any(ch.isalnum() for ch in norm):
            return Label("chatter", confidence=0.95, cues=("rule:无文字",), entities=entities)
        return self._decide(norm, entities)

    def _decide(self, norm: str, entities: Entities) -> Label:
        k = self.knowledge
        feats = featurize(norm)
        posterior, known = k.models["intent"].posterior(feats)
        found = k.finder.find(norm)
        hits = k.intent_cues_index.scan(found)
        scam_words = self._scam_word_hits(norm)
        intent, confidence, cue_names = pick_intent(posterior, hits, scam_words, len(norm))
        subtype = scam_type = None
        if intent == "dispute":
            subtype = pick_subtype(k.models.get("subtype"), feats, k.subtype_cues_index.scan(found))
        elif intent == "fraud":
            scam_type = pick_scam_type(k.models.get("scam_type"), feats, k.scam_cues_index.scan(found), scam_words)
        urgent = intent == "help" or is_urgent(intent, k.urgent_cues_index.scan(found))
        evidence = ["词:" + f[2:] for f in k.models["intent"].evidence(known, intent)]
        cues = tuple(dict.fromkeys(cue_names + evidence))[:6]
        return Label(intent, subtype, scam_type, urgent, confidence, cues, entities)
