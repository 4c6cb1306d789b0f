"""Time spent per stage, observed from outside the parts that do the work: the classifier's ``classify`` and the
worker's handling of one message. /metrics (bot/web/metrics.py) shows them as histograms."""
from __future__ import annotations

from typing import Any

from bot.pipeline import FAILED, HANDLED, Pipeline
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


class MeasuredPipeline(Pipeline):
    """The pipeline, with the handling of each message observed: ``handle`` (handled) or ``handle_failed``."""

    def __init__(self, *, timings: Timings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timings = timings

    def _handle(self, message_id: int) -> str:
        started = self.timings.started()
        outcome = super()._handle(message_id)
        if outcome in (HANDLED, FAILED):  # the others (done elsewhere, skipped) did no work
            self.timings.observe("handle" if outcome == HANDLED else "handle_failed", self.timings.since(started))
        return outcome
