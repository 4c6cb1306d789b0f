"""Log lines go through the one masking function: whatever a message, its arguments or a traceback carries,
a phone, ID or bank-card number is written masked (handlers/privacy.py). Lines are plain text, or one JSON object
each (``[logging] format = "json"``) for a collector: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message``, ``process``, and ``error`` with the traceback when there is one."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from handlers.privacy import mask_personal

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskingFormatter(logging.Formatter):
    """``logging.Formatter.format`` with the message, the traceback and the stack masked. The line's prefix (time,
    level, logger name) holds no personal number and is not scanned."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = mask_personal(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        for extra in (record.exc_text, record.stack_info and self.formatStack(record.stack_info)):
            if extra:
                line = line + ("" if line.endswith("\n") else "\n") + mask_personal(extra)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, every value masked; a line never breaks, whatever the message holds."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": mask_personal(record.getMessage()),
            "process": record.process,
        }
        if record.exc_info:
            line["error"] = mask_personal(self.formatException(record.exc_info))
        elif record.exc_text:
            line["error"] = mask_personal(record.exc_text)
        return json.dumps(line, ensure_ascii=False)


def formatter(kind: str = "text") -> logging.Formatter:
    return JsonFormatter() if kind == "json" else MaskingFormatter(FORMAT)


def configure(level: int | str = logging.INFO, kind: str = "text") -> None:
    """The process's logging: one stream handler on the root logger, every line masked, text or JSON."""
    logging.basicConfig(level=level, format=FORMAT)
    logging.getLogger().setLevel(level)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter(kind))
