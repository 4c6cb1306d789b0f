"""One module per intent; INTENT_HANDLERS maps each intent to its handler."""
from __future__ import annotations

from handlers.intents.chatter import on_chatter
from handlers.intents.dispute import on_dispute
from handlers.intents.fraud import on_fraud
from handlers.intents.help import on_help
from handlers.intents.inquiry import on_inquiry

INTENT_HANDLERS = {
    "dispute": on_dispute, "inquiry": on_inquiry, "fraud": on_fraud, "help": on_help, "chatter": on_chatter,
}
