"""What the bot may do with a classified message: a pure function of the label and the thresholds.

``decide(label, thresholds) -> Decision`` with ``Decision.action`` one of

* ``public``  — post in the residents' group (fraud warning, inquiry answer, dispute or help acknowledgement);
* ``private`` — a card to the officer only (e.g. “可能涉诈，请留意”, an inquiry the officer should answer);
* ``clarify`` — ask the resident one short question before opening anything;
* ``silent``  — nothing.

``Decision.alert`` says the officer must be alerted now (danger); it comes with ``private`` or ``public``.
``Decision.self_intro`` says the bot was addressed with a bare greeting: the caller may answer with the
bot's self-introduction instead of staying silent.  The thresholds are data written by training
(``data/model.json`` → ``policy``), each chosen on out-of-fold predictions; see docs/classifier.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC, PRIVATE, CLARIFY, SILENT = "public", "private", "clarify", "silent"
ACTIONS = (PUBLIC, PRIVATE, CLARIFY, SILENT)
NEVER = 1.01  # a probability threshold nothing reaches
BARE = frozenset({"greet_only", "ack_only", "empty"})


@dataclass(frozen=True)
class Thresholds:
    """Per intent: ``public`` — P(intent) needed to speak in the group; ``private`` — below it and at or
    above this, a card to the officer (dispute: below it, a clarifying question).  ``help`` — P(help) at
    which help wins over the arg-max intent; ``help_danger`` — the same when the danger detector flags the
    message; ``danger_alert`` — danger probability that always alerts the officer privately; ``action_min`` —
    an arg-max inquiry or dispute below this probability, with P(chatter) >= ``chatter_floor``,
    is unsure: never answered in public (a private card or a clarifying question instead);
    ``chatter_veto`` — P(chatter) at which the model's certainty overrules a danger flag (a film, a joke, an old
    story the detector's modifiers missed): chosen as the lowest value that costs no out-of-fold call for help
    or urgent message its alert."""

    public: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("inquiry", "dispute", "fraud", "help"), NEVER))
    private: dict[str, float] = field(default_factory=lambda: {"fraud": 0.3, "dispute": 0.5, "inquiry": 0.0, "help": 0.0})
    help: float = 0.5
    help_danger: float = 0.2
    danger_alert: float = 0.55
    action_min: float = 0.0
    chatter_floor: float = 0.15
    chatter_veto: float = NEVER

    @classmethod
    def from_dict(cls, data: dict | None) -> "Thresholds":
        if not data:
            return cls()
        base = cls()
        return cls(
            public={**base.public, **data.get("public", {})}, private={**base.private, **data.get("private", {})},
            help=float(data.get("help", base.help)), help_danger=float(data.get("help_danger", base.help_danger)),
            danger_alert=float(data.get("danger_alert", base.danger_alert)),
            action_min=float(data.get("action_min", base.action_min)),
            chatter_floor=float(data.get("chatter_floor", base.chatter_floor)),
            chatter_veto=float(data.get("chatter_veto", base.chatter_veto)),
        )

    def to_dict(self) -> dict:
        return {"public": self.public, "private": self.private, "help": self.help,
                "help_danger": self.help_danger, "danger_alert": self.danger_alert, "action_min": self.action_min,
                "chatter_floor": self.chatter_floor, "chatter_veto": self.chatter_veto}


@dataclass(frozen=True, slots=True)
class Decision:
    action: str
    intent: str
    alert: bool = False
    reason: str = ""
    self_intro: bool = False

    def to_dict(self) -> dict:
        return {"action": self.action, "intent": self.intent, "alert": self.alert, "reason": self.reason,
                "self_intro": self.self_intro}


def danger_flagged(danger, thresholds: Thresholds) -> bool:  # noqa: ANN001 - a danger.Danger
    return danger.category is not None and danger.current and danger.probability >= thresholds.danger_alert


def vetoed(intent: str, probs: dict[str, float], thresholds: Thresholds) -> bool:
    """The model is sure enough that this is chatter to overrule the danger detector's flag."""
    return intent == "chatter" and probs.get("chatter", 0.0) >= thresholds.chatter_veto


def alerts(intent: str, probs: dict[str, float], danger, thresholds: Thresholds) -> bool:  # noqa: ANN001
    """Whether the officer is alerted now: a call for help, or a danger flag the model does not overrule."""
    return intent == "help" or (danger_flagged(danger, thresholds) and not vetoed(intent, probs, thresholds))


def pick_intent(probs: dict[str, float], danger, thresholds: Thresholds) -> str:  # noqa: ANN001
    """The arg-max intent, except that help wins at a lower probability (its recall matters most).  A weak
    inquiry or dispute keeps its intent — the officer should see it — and ``decide`` keeps it out of the group
    (``unsure``).  A weak fraud stays fraud: the policy then sends only the private “可能涉诈，请留意” card."""
    p_help = probs.get("help", 0.0)
    if p_help >= thresholds.help or (danger_flagged(danger, thresholds) and p_help >= thresholds.help_danger):
        return "help"
    return max(probs, key=lambda c: (probs[c], c == "chatter"))


def unsure(intent: str, probs: dict[str, float], thresholds: Thresholds) -> bool:
    """An inquiry or dispute below ``action_min`` with some chance of being chatter: too unsure for the group."""
    return intent in ("inquiry", "dispute") and probs.get(intent, 0.0) < thresholds.action_min \
        and probs.get("chatter", 0.0) >= thresholds.chatter_floor


def acted_intent(probs: dict[str, float], danger, thresholds: Thresholds) -> str:  # noqa: ANN001
    """The intent the bot would act on in public: ``pick_intent``, with an unsure inquiry or dispute read as
    chatter (what training measures when it chooses ``action_min``)."""
    intent = pick_intent(probs, danger, thresholds)
    return "chatter" if unsure(intent, probs, thresholds) else intent


def gate(intent: str, signals: frozenset[str] | set[str], danger) -> str | None:  # noqa: ANN001
    """Why ``intent`` must not be answered in public whatever its probability (None: no objection)."""
    if signals & BARE:
        return "bare greeting, acknowledgement or emoji"
    if "about_bot" in signals:
        return "about the bot itself"
    if "notice" in signals or ("media" in signals and "asks_scam" not in signals):
        # hearsay the writer asks about (“听说…是真的假的”) is a question about a suspicious thing, not a story
        return "forwarded notice, film, news or hearsay"
    if intent == "fraud" and "past" in signals and "now" not in signals:
        return "an old story"
    if intent == "help" and danger.category is not None and not danger.current:
        return "past, resolved or fictional danger"
    return None


def decide(label, thresholds: Thresholds | None = None) -> Decision:  # noqa: ANN001 - a label.Label
    """What the bot may do with ``label`` (see the module docstring)."""
    t = thresholds or Thresholds()
    signals = frozenset(label.signals)
    intent = label.intent
    p = label.probability(intent)
    alert = alerts(intent, dict(label.probabilities), label.danger, t)
    blocked = gate(intent, signals, label.danger)
    doubt = unsure(intent, dict(label.probabilities), t)
    public = blocked is None and not doubt and p >= t.public.get(intent, NEVER)
    intro = bool(label.addressed_greeting)
    if alert:
        return Decision(PUBLIC if public else PRIVATE, intent, True,
                        f"danger {label.danger.category or intent}: P={p:.2f}", intro)
    if intent == "chatter" or intent not in t.public:
        return Decision(SILENT, intent, False, "nothing to do", intro)
    if public:
        return Decision(PUBLIC, intent, False, f"P({intent})={p:.2f} >= {t.public[intent]:.2f}", intro)
    why = blocked or (f"unsure: P({intent})={p:.2f} below {t.action_min:.2f}" if doubt
                      else f"P({intent})={p:.2f} below {t.public[intent]:.2f}")
    if intent == "fraud":
        if p >= t.private["fraud"] and not signals & BARE:
            return Decision(PRIVATE, intent, False, "可能涉诈: " + why, intro)
        return Decision(SILENT, intent, False, why, intro)
    if signals & BARE or "about_bot" in signals:
        return Decision(SILENT, intent, False, why, intro)
    if intent == "dispute" and p < t.private["dispute"] and blocked is None:
        return Decision(CLARIFY, intent, False, why, intro)
    return Decision(PRIVATE, intent, False, why, intro)
