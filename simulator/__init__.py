"""The Tabletop simulation engine: `Exercise` plays a scenario in virtual time and writes its run log."""

from simulator._commands import COMMANDS, Command
from simulator.errors import CommandError, SimulationError
from simulator.evaluation import ObjectiveRating
from simulator.exercise import Exercise, PendingDecision, Record, RunSummary

__all__ = [
    "COMMANDS",
    "Command",
    "CommandError",
    "Exercise",
    "ObjectiveRating",
    "PendingDecision",
    "Record",
    "RunSummary",
    "SimulationError",
]
