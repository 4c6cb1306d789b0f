"""The classifier's ``classify`` timed from outside it (the worker times its own handling: ``Pipeline.observe``).
/metrics (bot/web/metrics.py) shows both as histograms."""
from __future__ import annotations

from typing import Any

from bot.web.metrics import Timings


class TimedClassifier:
    """The classifier, with each ``classify`` call observed as the ``classify`` stage; everything else passes."""

    def __init__(self, inner: Any, timings: Timings) -> None:
        self.inner, self.timings = inner, timings

    def classify(self, text: str) -> Any:
        with self.timings.timer("classify"):
            return self.inner.classify(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
