"""Every export kind, by the name the CLI and the console use. A new kind is one module and one line here."""
from __future__ import annotations

from handlers.exports import (ExportKind, broadcasts, case_list, dispute_ledger, fraud_alerts, fraud_indicators,
                              visit_days, visits)

KINDS: dict[str, ExportKind] = {kind.name: kind for kind in (
    dispute_ledger.KIND, case_list.KIND, broadcasts.KIND, fraud_alerts.KIND, fraud_indicators.KIND, visits.KIND,
    visit_days.KIND,
)}
