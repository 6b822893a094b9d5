"""A network analysis as JSON-ready data (`tabletop network --json`): the analysis' own fields, names beside ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from simulator.analysis.network.model import NetworkAnalysis
from simulator.analysis.network.simulated import SimulatedReach


def analysis_json(
    analysis: NetworkAnalysis,
    before: NetworkAnalysis | None = None,
    simulated: Mapping[int, Mapping[str, SimulatedReach]] | None = None,
) -> dict[str, Any]:
    """The analysis as plain data: every field of the model, `before` (the network without the what-if) when given,
    and under each alert `simulated` (by stakeholder) when the alert was played.

    Args:
        analysis: The analysis (with the what-if applied, when there is one).
        before: The analysis of the whole network, for a what-if.
        simulated: By the alert's index: each stakeholder's simulated reach.
    """
    data = asdict(analysis)
    data["removed"] = [asdict(item) for item in analysis.removed]
    for index, alert in enumerate(data["alerts"]):
        alert["betweenness"] = [{"stakeholder": sid, "betweenness": value} for sid, value in alert["betweenness"]]
        played = (simulated or {}).get(index)
        if played is not None:
            alert["simulated"] = {sid: asdict(reach) for sid, reach in played.items()}
    data["before"] = analysis_json(before) if before is not None else None
    return data
