"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import pytest

from simulator._world import World


@pytest.fixture
def scene(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, str, list[tuple[str, int]]]]:
    """(t, site, units on scene there) each time the engine says units arrived at or left a site."""
    seen: list[tuple[float, str, list[tuple[str, int]]]] = []
    original = World.units_changed

    def units_changed(self: World, site_id: str) -> None:
        seen.append((float(self.env.now), site_id, list(self.on_scene[site_id])))
        original(self, site_id)

    monkeypatch.setattr(World, "units_changed", units_changed)
    return seen
