"""The chaos run's config is the demo's, moved onto the bridge: it must stay a config the bot starts with (a new
start-up rule once made every chaos run fail at `gridbot db upgrade`)."""
from __future__ import annotations

from bench.chaos.cluster import write_config
from bot.channels import registry
from bot.config import load_config


def test_the_chaos_config_loads_with_the_bridge_on_and_the_sandbox_off(tmp_path):
    path = write_config(tmp_path, url=f"sqlite:///{tmp_path / 'chaos.db'}", outbound_url="http://127.0.0.1:9/send")
    config = load_config(path, environ={})
    assert [channel.name for channel, _ in registry.enabled(config)] == ["bridge"]
    assert all(g.channel == "bridge" for grid in config.grids for g in grid.groups)
