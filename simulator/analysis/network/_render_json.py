"""A network analysis as JSON-ready data (`tabletop network --json`): the analysis' own fields, names beside ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from simulator.analysis.network.model import NetworkAnalysis, Reach
from simulator.analysis.network.simulated import SimulatedReach


def analysis_json(
    analysis: NetworkAnalysis,
    before: NetworkAnalysis | None = None,
    simulated: Mapping[int, Mapping[str, SimulatedReach]] | None = None,
) -> dict[str, Any]:
    """The analysis as plain data: every field of the model, `before` (the network without the what-if) when given,
    and under each alert `simulated` (by stakeholder) when the alert was played.

    Each reach gives its `via` (the sender who passed the alert to it and the hop's channels) rather than its whole
    path, which is followed back through the senders' `via`: the JSON of a network with many sites stays small.

    Args:
        analysis: The analysis (with the what-if applied, when there is one).
        before: The analysis of the whole network, for a what-if.
        simulated: By the alert's index: each stakeholder's simulated reach.
    """
    alerts: list[dict[str, Any]] = []
    for index, alert in enumerate(analysis.alerts):
        data: dict[str, Any] = {
            "site": alert.site,
            "origins": list(alert.origins),
            "reach": [_reach(reach) for reach in alert.reach],
            "cut_offs": [asdict(cut_off) for cut_off in alert.cut_offs],
            "betweenness": [{"stakeholder": sid, "betweenness": value} for sid, value in alert.betweenness],
        }
        played = (simulated or {}).get(index)
        if played is not None:
            data["simulated"] = {sid: asdict(reach) for sid, reach in played.items()}
        alerts.append(data)
    return {
        "scenario": analysis.scenario,
        "title": analysis.title,
        "variant": analysis.variant,
        "removed": [asdict(item) for item in analysis.removed],
        "names": analysis.names,
        "stakeholders": analysis.stakeholders,
        "channels": analysis.channels,
        "alerts": alerts,
        "sites_without_stakeholders": list(analysis.sites_without_stakeholders),
        "before": analysis_json(before) if before is not None else None,
    }


def _reach(reach: Reach) -> dict[str, Any]:
    via = reach.via
    return {
        "stakeholder": reach.stakeholder,
        "expected_s": reach.expected_s,
        "probability": reach.probability,
        "via": None if via is None else {"sender": via.sender, "channels": list(via.channels)},
        "wait_s": reach.wait_s,
        "saturated": reach.saturated,
        "why_not": reach.why_not,
    }
