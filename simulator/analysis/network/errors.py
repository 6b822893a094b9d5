"""`NetworkError`: a request about the network that names something the scenario does not have."""

from __future__ import annotations

from simulator.errors import SimulationError


class NetworkError(SimulationError):
    """An unknown stakeholder, channel or site in `--without`, `--from` or `--site` (with a "did you mean")."""

    title = "Cannot analyse the network"
