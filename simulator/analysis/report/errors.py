"""`ReportError`: a run log or a batch folder a report cannot be made from, said once at the edge."""

from __future__ import annotations

from simulator.errors import SimulationError


class ReportError(SimulationError):
    """The input is not a run log or a finished batch folder, or cannot give a report (with a hint)."""

    title = "Cannot write the report"
