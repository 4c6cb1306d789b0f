"""`gridbot schedule`: the next runs of every scheduled job."""
from __future__ import annotations

from bot.config import Config


def print_schedule(config: Config) -> None:
    from bot.scheduler import next_runs

    for line in next_runs(config):
        print(line)
