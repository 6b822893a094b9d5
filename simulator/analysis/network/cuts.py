"""Single points of failure of an alert (by dominators) and the betweenness of the stakeholders on its paths."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.analysis.network._hops import Network
from simulator.analysis.network.model import CutOff


def cut_offs(network: Network, origins: Sequence[str], times: Mapping[str, float]) -> tuple[CutOff, ...]:
    """The stakeholders and channels whose loss leaves others unreached, with whom each cuts off."""
    return ()


def betweenness(network: Network, origins: Sequence[str], times: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Each stakeholder's betweenness on the fastest expected paths from the origins, highest first."""
    return ()
