"""Okapi BM25 over term lists (about 50 lines: a library would add a dependency and its own tokenising for
no gain at this size — a few hundred documents, a few thousand terms).

score(q, d) = Σ_t∈q idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl)),
idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)).
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Sequence


class BM25:
    def __init__(self, documents: Sequence[Iterable[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tfs = [Counter(doc) for doc in documents]
        self.lengths = [sum(tf.values()) for tf in self.tfs]
        self.n = len(self.tfs)
        self.avgdl = (sum(self.lengths) / self.n) if self.n else 1.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self.tfs):
            for term in tf:
                self.postings.setdefault(term, []).append(i)

    def term_idf(self, term: str) -> float:
        """idf of a term; one that no document has gets the idf of a term seen once."""
        return self.idf.get(term, math.log(1 + (self.n - 0.5) / 1.5) if self.n else 0.0)

    def scores(self, query: Iterable[str], weights: dict[str, float] | None = None) -> dict[int, float]:
        """{document index: score} for the documents that share a term with the query."""
        out: dict[int, float] = {}
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            weight = idf * (weights.get(term, 1.0) if weights else 1.0)
            for i in self.postings[term]:
                tf = self.tfs[i][term]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avgdl)
                out[i] = out.get(i, 0.0) + weight * tf * (self.k1 + 1) / (tf + norm)
        return out
