"""Result types of the message classifier."""
from __future__ import annotations

from dataclasses import dataclass, field

from handlers.nlu.danger import NO_DANGER, Danger

INTENTS = ("inquiry", "dispute", "fraud", "help", "chatter")
SUBTYPES = ("noise", "neighbor", "family", "economic", "property", "landlord_tenant", "other")
SCAM_TYPES = (
    "rebate_task", "investment", "fake_customer_service", "impersonate_authority", "loan_credit",
    "impersonate_acquaintance", "romance", "game_trade", "prize_parttime", "social_insurance", "other",
)


@dataclass(frozen=True, slots=True)
class Entities:
    """Things an officer needs from a message: phones, ID cards, money, rooms, times."""

    phones: tuple[str, ...] = ()
    id_cards: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    times: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "phones": list(self.phones),
            "id_cards": list(self.id_cards),
            "amounts": list(self.amounts),
            "rooms": list(self.rooms),
            "times": list(self.times),
        }


@dataclass(frozen=True, slots=True)
class Label:
    """The classifier's decision about one message, with the cues that decided it.

    ``probabilities``: calibrated P(intent) for every intent, as (intent, p) pairs; ``danger``: the danger
    detector's result; ``signals``: what kind of text it is (forwarded, notice, question, past, greet_only…,
    see signals.py); ``about_bot``: a remark or question about the bot itself; ``addressed_greeting``: the bot
    was addressed with nothing but a greeting (answer with the self-introduction, or stay silent)."""

    intent: str
    subtype: str | None = None
    scam_type: str | None = None
    urgent: bool = False
    confidence: float = 0.0
    cues: tuple[str, ...] = ()
    entities: Entities = field(default_factory=Entities)
    probabilities: tuple[tuple[str, float], ...] = ()
    danger: Danger = NO_DANGER
    signals: tuple[str, ...] = ()
    about_bot: bool = False
    addressed_greeting: bool = False

    @property
    def needs_action(self) -> bool:
        return self.intent != "chatter"

    def probability(self, intent: str) -> float:
        for name, p in self.probabilities:
            if name == intent:
                return p
        return self.confidence if intent == self.intent else 0.0

    def to_dict(self) -> dict:
        return {
            "intent": self.intent,
            "subtype": self.subtype,
            "scam_type": self.scam_type,
            "urgent": self.urgent,
            "confidence": round(self.confidence, 4),
            "cues": list(self.cues),
            "entities": self.entities.to_dict(),
            "probabilities": {name: round(p, 4) for name, p in self.probabilities},
            "danger": self.danger.to_dict(),
            "signals": list(self.signals),
            "about_bot": self.about_bot,
            "addressed_greeting": self.addressed_greeting,
        }
