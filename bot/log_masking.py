"""Log lines go through the one masking function: whatever a message, its arguments or a traceback carries,
a phone, ID or bank-card number is written masked (handlers/privacy.py)."""
from __future__ import annotations

import logging

from handlers.privacy import mask_personal

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


def configure(level: int = logging.INFO) -> None:
    """The process's logging: one stream handler on the root logger, every line masked."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(MaskingFormatter(FORMAT))
