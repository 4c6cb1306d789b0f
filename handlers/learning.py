"""What officers' corrections (/wrong) teach the classifier: each corrected message as one corpus row in the format
of the training files and ``../shared/corpus/LABELS.md`` (``{"text", "intent", "subtype", "scam_type",
"urgent"}``), its words masked. A message corrected twice counts once, by its latest correction."""
from __future__ import annotations

import json
from typing import IO, Iterator

from sqlmodel import Session

from handlers.privacy import mask_personal
from storage import corrections


def corpus_rows(session: Session) -> Iterator[dict]:
    """One row per corrected message, oldest first (by its latest correction)."""
    latest: dict[int, object] = {}
    for row in corrections.iter_corrections(session, with_message=True):
        latest.pop(row.message_id, None)
        latest[row.message_id] = row
    for row in latest.values():
        yield {"text": mask_personal(row.text), "intent": row.intent,
               "subtype": row.subtype if row.intent == "dispute" else None,
               "scam_type": row.scam_type if row.intent == "fraud" else None,
               "urgent": bool(row.urgent) or row.intent == "help"}


def write_jsonl(rows: Iterator[dict], out: IO[str]) -> int:
    """Write the rows one JSON object a line (UTF-8, Chinese as written); returns how many."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n
