"""The state every part of the engine shares, and the helpers they all use (sampling, delays, events, learning)."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

import simpy

from scenarios.network import Site
from simulator._bus import EventBus
from simulator._compiled import Compiled, Delay
from simulator._units import UnitPool
from simulator.sampling import fixed_value, sampler
from simulator.streams import Streams

RecordFn = Callable[..., None]
RecordFieldsFn = Callable[[dict[str, Any]], None]


_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Awareness:
    """What a stakeholder knows of one fact."""

    fact: str
    """The fact."""
    t: float
    """When it learned it (simulation seconds)."""
    source: str
    """From whom or what: a stakeholder id, `inject:ID`, `observation:PHASE`, `self`."""
    true: bool
    """False for rumours and false reports."""
    corrected_t: float | None = None
    """When a fact that corrects it reached the stakeholder (None: never corrected); it no longer acts on it."""
    corrected_by: str | None = None
    """The fact that corrected it."""


@dataclass(slots=True)
class _SiteState:
    started: set[str] = field(default_factory=set)
    """Protective measures under way or done (`lockdown`, `evacuation`)."""
    complete: set[str] = field(default_factory=set)
    """Protective measures complete."""


class _Lazy(dict[str, _V]):
    """A dict whose entry for each of its keys is made on first use: most runs of a large network touch few."""

    __slots__ = ("_keys", "make")

    def __init__(self, keys: Container[str], make: Callable[[str], _V]) -> None:
        super().__init__()
        self._keys = keys
        self.make = make
        """Makes the entry of a key (a run's teardown swaps it for one that leads back to nothing)."""

    def __missing__(self, key: str) -> _V:
        if key not in self._keys:
            raise KeyError(key)
        value = self[key] = self.make(key)
        return value


class _Call:
    """A SimPy callback that ignores the event and calls a function (cheaper than a process per delay)."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[], object]) -> None:
        self.function = function

    def __call__(self, _event: object) -> None:
        self.function()


class WorldState:
    """The state of one run, and the helpers every mechanism uses; `World` adds the mechanisms."""

    def __init__(self, compiled: Compiled, seed: int, record: RecordFn, record_fields: RecordFieldsFn) -> None:
        scenario = compiled.scenario
        self.compiled = compiled
        self.scenario = scenario
        self.env = simpy.Environment()
        self.rng = Streams(seed)
        self.streams = self.rng.created
        """The streams created so far, by entity (`rng` creates them)."""
        self.record = record
        self.record_fields = record_fields
        """`record` for a dict literal `{"seq": 0, "t": 0.0, "kind": KIND, **fields}` (its seq and t are set)."""
        self.handlers: list[Callable[[], object]] = []
        """The handler of each listener of the scenario's trigger index (bound at start)."""
        self.bus = EventBus(compiled.triggers, self.handlers)
        self._samplers = compiled.samplers
        self.facts = dict(compiled.facts)
        self.correctors = compiled.correctors
        """For each fact that some fact corrects: the facts that correct it, in the scenario's order."""
        self.stakeholders = compiled.stakeholders
        self.sites: dict[str, Site] = compiled.sites
        self.site_state: dict[str, _SiteState] = _Lazy(compiled.sites, lambda _site: _SiteState())
        self.channels = compiled.channels
        self.known: dict[str, dict[str, Awareness]] = {sh_id: {} for sh_id in compiled.stakeholder_ids}
        self.fired: set[str] = set()
        self.milestones: dict[str, float] = {}
        now = partial(self.later, 0.0)
        capacities = compiled.unit_counts
        self.units: _Lazy[UnitPool] = _Lazy(capacities, lambda sh_id: UnitPool(capacities[sh_id], now))
        self.line = {channel_id: UnitPool(capacity, now) for channel_id, capacity in compiled.lines}
        self.on_scene: dict[str, list[tuple[str, int]]] = _Lazy(compiled.sites, lambda _site: [])
        """The units on scene at each site: (stakeholder, units), in order of arrival."""
        self.phase_index = -1
        self.phase_token = 0
        self.threat_over = scenario.threat is None
        self.harm = 0.0
        self.harm_rate = 0.0
        self._harm_since = 0.0

    # --- hooks: one mechanism tells the others what changed (`World` combines them) ---------------------------

    def units_changed(self, site: str) -> None:
        """Units arrived at, or left, `site` (the threat's engagement listens)."""

    def threat_moved(self, site: str | None) -> None:
        """A threat phase started at `site` (None: between sites); units pursuing the threat listen."""

    def harm_changed(self, ending: bool = False) -> None:
        """Something that changes the harm rate happened now (a measure started or completed, a phase changed)."""

    def sample(self, delay: object, stream: str) -> float:
        """Draw one duration from a delay with the named entity's stream (a fixed duration draws nothing)."""
        cached = self._samplers.get(id(delay))
        # The cache holds the delay itself, so its id cannot be reused by another object while the entry lives.
        if cached is None or cached[0] is not delay:
            cached = self._samplers[id(delay)] = (delay, sampler(delay), fixed_value(delay))
        fixed = cached[2]
        return fixed if fixed is not None else cached[1](self.rng(stream))

    def draw(self, delay: Delay, stream: str) -> float:
        """Draw one duration from a compiled delay with the named entity's stream (a fixed one draws nothing)."""
        fixed = delay[0]
        if fixed is not None:
            return fixed
        rng = self.streams.get(stream)
        return delay[1](self.rng(stream) if rng is None else rng)

    def later(self, delay: float, callback: Callable[[], object]) -> None:
        """Call `callback` after `delay` seconds of simulation time."""
        self.env.timeout(delay).callbacks.append(_Call(callback))

    def emit(self, kind: str, event: Mapping[str, Any]) -> None:
        """Tell the triggers that an event happened."""
        self.bus.emit(kind, event)

    def believes(self, stakeholder: str, fact: str) -> bool:
        """Whether `stakeholder` holds `fact` and no fact it learned since has corrected it."""
        known = self.known[stakeholder].get(fact)
        return known is not None and known.corrected_t is None

    def learn(self, stakeholder: str, fact: str, source: str) -> None:
        """`stakeholder` learns `fact`; only the first time counts, and a fact it holds a correction of is disregarded.

        Learning a fact corrects the facts it `corrects` that the stakeholder holds: their awareness keeps what was
        believed and when, and gains when and by what it was corrected (`fact_corrected`, after `fact_learned`).
        """
        held = self.known[stakeholder]
        known = held.get(fact)
        if known is not None:
            correction = known.corrected_by
        elif fact in self.correctors:
            correction = self._correction_held(held, fact)
        else:
            correction = None
        if correction is not None:
            self.record("FactDisregarded", stakeholder=stakeholder, fact=fact, source=source, corrected_by=correction)
            return
        if known is not None:
            self.record_fields(
                {"seq": 0, "t": 0.0, "kind": "FactRepeated", "stakeholder": stakeholder, "fact": fact, "source": source}
            )
            return
        now = self.env.now
        about = self.facts.get(fact)
        true = not about.false_report if about is not None else True
        held[fact] = Awareness(fact, now, source, true)
        self.record_fields(
            {"seq": 0, "t": 0.0, "kind": "FactLearned", "stakeholder": stakeholder, "fact": fact, "source": source,
             "true": true}
        )  # fmt: skip
        if about is None or not about.corrects:
            self.bus.emit_at("fact_learned", fact, stakeholder)
            return
        corrected = []
        for wrong in about.corrects:
            believed = held.get(wrong)
            if believed is not None and believed.corrected_t is None:
                held[wrong] = replace(believed, corrected_t=now, corrected_by=fact)
                self.record("FactCorrected", stakeholder=stakeholder, fact=wrong, by_fact=fact, source=source)
                corrected.append(wrong)
        self.bus.emit_at("fact_learned", fact, stakeholder)
        for wrong in corrected:
            self.bus.emit_at("fact_corrected", wrong, stakeholder)

    def _correction_held(self, held: Mapping[str, Awareness], fact: str) -> str | None:
        """The first fact (in the scenario's order) correcting `fact` among those `held`, if any."""
        for correction in self.correctors.get(fact, ()):
            if correction in held:
                return correction
        return None
