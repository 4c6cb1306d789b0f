"""Households and vulnerable residents: access, check-in schedules, danger, outreach, dissuasion, the ledger."""
