"""The Tabletop simulation engine: `Exercise` plays a scenario in virtual time and writes its run log.

A live exercise is driven through an `ExerciseHost` (the `Host` protocol): typed commands carrying their seat,
read-only records filtered by who may see them, and a read model per console panel.
"""

from simulator._protocol import Host
from simulator._state import Awareness
from simulator._subscriptions import Listener, Unsubscribe
from simulator.commands import COMMANDS, SPEEDS, Command, CommandData, Speed, parse_command
from simulator.debrief import Debrief
from simulator.errors import CommandError, ListenerError, SimulationError
from simulator.evaluation import ObjectiveRating
from simulator.exercise import Exercise, Record, RunSummary
from simulator.host import ExerciseHost
from simulator.seats import EVALUATOR, FACILITATOR, Seat
from simulator.views import (
    ChannelView,
    ClockView,
    FactHeld,
    InjectView,
    NetworkView,
    OptionView,
    PendingDecision,
    StakeholderView,
)

__all__ = [
    "COMMANDS",
    "EVALUATOR",
    "FACILITATOR",
    "SPEEDS",
    "Awareness",
    "ChannelView",
    "ClockView",
    "Command",
    "CommandData",
    "CommandError",
    "Debrief",
    "Exercise",
    "ExerciseHost",
    "FactHeld",
    "Host",
    "InjectView",
    "Listener",
    "ListenerError",
    "NetworkView",
    "ObjectiveRating",
    "OptionView",
    "PendingDecision",
    "Record",
    "RunSummary",
    "Seat",
    "SimulationError",
    "Speed",
    "StakeholderView",
    "Unsubscribe",
    "parse_command",
]
