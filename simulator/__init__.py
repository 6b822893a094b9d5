"""The Tabletop simulation engine: `Exercise` plays a scenario in virtual time and writes its run log."""

from simulator.errors import CommandError, SimulationError
from simulator.evaluation import ObjectiveRating
from simulator.exercise import Command, Exercise, PendingDecision, Record, RunSummary

__all__ = [
    "Command",
    "CommandError",
    "Exercise",
    "ObjectiveRating",
    "PendingDecision",
    "Record",
    "RunSummary",
    "SimulationError",
]
