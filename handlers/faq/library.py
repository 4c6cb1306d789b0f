"""The FAQ as a process sees it: the packaged topics with the officers' entries applied, rebuilt when the
entries change. One Library per app (the pipeline holds it, like the classifier): before each use it reads
the entries' signature (one small query), so an officer's /faq add in any process is in force for the next
message every process handles.
"""
from __future__ import annotations

import threading
from typing import Sequence

from sqlmodel import Session

from handlers.faq import kb
from handlers.faq.retrieve import Finding, Retriever, Tuning
from storage import faq as store


class Library:
    def __init__(self, tuning: Tuning | None = None) -> None:
        self.tuning = tuning
        self._lock = threading.Lock()
        self._signature: tuple[int, int] | None = None
        self._retriever: Retriever | None = None

    def warm_up(self) -> None:
        """Build the packaged index now (jieba's small dictionary, BM25), not on the first question."""
        with self._lock:
            if self._retriever is None:
                self._retriever = Retriever(kb.packaged(), self.tuning)
        self._retriever.find("居住证怎么办")

    def retriever(self, session: Session) -> Retriever:
        signature = store.signature(session)
        with self._lock:
            if self._retriever is None or signature != self._signature:
                topics = kb.merged(store.entries(session)) if signature[0] else kb.packaged()
                self._retriever = Retriever(topics, self.tuning)
                self._signature = signature
            return self._retriever

    def find(self, session: Session, question: str) -> Finding:
        return self.retriever(session).find(question)

    def topics(self, session: Session) -> Sequence[kb.Topic]:
        return self.retriever(session).topics

    def topic(self, session: Session, key: str) -> kb.Topic | None:
        return next((t for t in self.topics(session) if t.key == key), None)
