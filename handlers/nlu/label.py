"""Result types of the message classifier."""
from __future__ import annotations

from dataclasses import dataclass, field

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
    """The classifier's decision about one message, with the cues that decided it."""

    intent: str
    subtype: str | None = None
    scam_type: str | None = None
    urgent: bool = False
    confidence: float = 0.0
    cues: tuple[str, ...] = ()
    entities: Entities = field(default_factory=Entities)

    @property
    def needs_action(self) -> bool:
        return self.intent != "chatter"

    def to_dict(self) -> dict:
        return {
            "intent": self.intent,
            "subtype": self.subtype,
            "scam_type": self.scam_type,
            "urgent": self.urgent,
            "confidence": round(self.confidence, 4),
            "cues": list(self.cues),
            "entities": self.entities.to_dict(),
        }
