"""`Setup`: a scenario with its variant applied, prepared once for any number of runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from scenarios import Scenario, apply_variant
from simulator._compiled import Compiled, compile_scenario
from simulator._logformat import canonical_json
from simulator.sampling import Sampler


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (comments and formatting of the file do not count)."""
    return hashlib.sha256(orjson.dumps(scenario_data(scenario), option=orjson.OPT_SORT_KEYS)).hexdigest()


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON data (durations written `30s`), as embedded in run-log headers."""
    return scenario.model_dump(mode="json", by_alias=True)


@dataclass(frozen=True, slots=True)
class Setup:
    """What every run of one scenario and variant shares; build it once per batch, not once per run."""

    base: Scenario
    """The scenario as written (with all its variants)."""
    variant: str | None
    """The variant applied, if any."""
    scenario: Scenario
    """The scenario the runs play (the variant applied)."""
    digest: str
    """SHA-256 of the base scenario's canonical JSON."""
    data: dict[str, Any]
    """The base scenario as JSON data (read-only: shared by every run's header)."""
    source: str
    """How the scenario was named (bundled name or path), for replay."""
    samplers: dict[int, tuple[object, Sampler, float | None]] = field(default_factory=dict)
    """Compiled delays, shared by the runs (they hold no state: each run passes its own random streams)."""
    encoded_data: list[bytes] = field(default_factory=list, init=False, repr=False, compare=False)
    """`data` as canonical JSON once a logged run has needed it (see `data_json`): empty until then."""

    compiled: Compiled = field(init=False, repr=False, compare=False)
    """The scenario's look-ups (channel routes, trigger index, compiled delays...), shared read-only by the runs."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", compile_scenario(self.scenario, self.samplers))

    @property
    def data_json(self) -> bytes:
        """`data` as canonical JSON, encoded and NaN-checked once per Setup: every run's log header embeds it."""
        encoded = self.encoded_data
        if not encoded:  # on first use: runs without a log file (most of a batch's) never pay for it
            encoded.append(canonical_json(self.data))
        return encoded[0]

    @classmethod
    def of(cls, scenario: Scenario, variant: str | None = None, source: str | None = None) -> Setup:
        """Prepare `scenario` with `variant`.

        Raises:
            scenarios.ScenarioError: the scenario has no such variant.
        """
        data = scenario_data(scenario)
        digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
        return cls(scenario, variant, apply_variant(scenario, variant), digest, data, source or scenario.id)
