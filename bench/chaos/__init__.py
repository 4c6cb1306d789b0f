"""The chaos run: real `gridbot serve` processes on one database, a load from a client, SIGKILLs at random points,
a database outage and a slow gateway; it prints lost / handled twice / delivered twice / late counts.

Run: `make chaos` (the long run), or `.venv/bin/python -m bench.chaos --short` (what .ci/run does). See
docs/reliability.md, "Delivery and chaos".
"""
