"""Large synthetic scenarios: a warning cascading through a national network of community sites.

`generate()` builds a `Network`: a plain topology (who can reach whom, over which kind of link) that is deterministic
by seed, and from it both a valid `Scenario` for the engine (`Network.scenario()`) and the plain lists the
hand-written SimPy baseline (`benchmarks.handwritten`) plays, so that both models play the same message flow.

The flow: an attack begins at the first site; its guard sees it and warns its neighbours; every guard that learns
the warning locks its site down, warns each of its own neighbours and reports to its control room; every control
room that learns the warning passes it on to the next control room. Every site is on a ring of guard links, so every
stakeholder learns the warning, and every channel carries exactly one message per run: a run makes exactly
`len(channels)` message hops whatever the seed.

Run `python -m benchmarks.network` to print the size of the generated scenario and check it like a scenario file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from scenarios import Scenario

WARNING = "warning"
"""The fact that cascades."""
ATTACK_PHASE = "attack"
"""The threat's only phase, at the first site."""

# Delays in seconds: the scenario and the hand-written baseline both use these.
ATTACK_S = 20 * 60.0
"""How long the attack at the first site lasts."""
SEEN_AFTER_S = 30.0
"""When the first site's guard notices the attack."""
GUARD_LINK_MEDIAN_S, GUARD_LINK_P90_S = 20.0, 60.0
"""Latency of a guard-to-guard link (messaging): lognormal by median and 90th percentile."""
REPORT_LOW_S, REPORT_HIGH_S = 10.0, 30.0
"""Latency of a guard's phone line to its control room: uniform."""
CONTROL_LINK_S = 15.0
"""Latency of the line between two control rooms: fixed."""
NOTIFY_AFTER_HIGH_S = 30.0
"""A guard warns each neighbour after a uniform delay between 0 and this (one call after the other)."""
CONTROL_AFTER_S = 30.0
"""A control room passes the warning on after this long."""
LOCKDOWN_LOW_S, LOCKDOWN_MODE_S, LOCKDOWN_HIGH_S = 30.0, 60.0, 180.0
"""How long a site takes to lock down: triangular."""
DURATION_S = 2 * 3600.0
"""How long a run lasts (the cascade is over long before)."""

SITE_KINDS = ("synagogue", "mosque", "church", "school", "kindergarten", "community_centre")


@dataclass(frozen=True, slots=True)
class Link:
    """One directed channel of the network."""

    id: str
    """The channel's id."""
    sender: str
    """The sending stakeholder."""
    receiver: str
    """The receiving stakeholder."""
    kind: str
    """`guard` (guard to guard), `report` (guard to its control room) or `control` (control to control)."""


@dataclass(frozen=True, slots=True)
class Network:
    """A generated network: guards at sites, control rooms, and the links between them.

    Attributes:
        seed: The seed it was generated from.
        controls: The control rooms' ids.
        guards: The guards' ids, in order; guard `i` protects site `sites[i]`.
        sites: The sites' ids.
        occupancy: How many people are in each site.
        links: Every channel, in order of creation.
        origin: The guard who sees the attack.
    """

    seed: int
    controls: tuple[str, ...]
    guards: tuple[str, ...]
    sites: tuple[str, ...]
    occupancy: tuple[int, ...]
    links: tuple[Link, ...]

    @property
    def origin(self) -> str:
        """The guard of the attacked site, who starts the cascade."""
        return self.guards[0]

    @property
    def scenario_id(self) -> str:
        """The id of the scenario `scenario()` makes (the engine's `RunStarted` names it)."""
        return f"network-{len(self.controls) + len(self.guards)}-{len(self.links)}-seed{self.seed}"

    def out_links(self) -> dict[str, list[Link]]:
        """Each stakeholder's outgoing links, in order of creation (the order in which it warns them)."""
        out: dict[str, list[Link]] = {node: [] for node in (*self.controls, *self.guards)}
        for link in self.links:
            out[link.sender].append(link)
        return out

    def guard_site(self) -> dict[str, str]:
        """The site each guard protects."""
        return dict(zip(self.guards, self.sites, strict=True))

    def scenario(self) -> Scenario:
        """The network as a scenario the engine plays (validated like a scenario file, without the YAML)."""
        return Scenario.model_validate_json(_json(self.scenario_data()), strict=True)

    def scenario_data(self) -> dict[str, Any]:
        """The scenario as plain data, as a YAML file would hold it."""
        out = self.out_links()
        site_of = self.guard_site()
        guard_latency = {"dist": "lognormal", "median": _d(GUARD_LINK_MEDIAN_S), "p90": _d(GUARD_LINK_P90_S)}
        latency = {
            "guard": guard_latency,
            "report": {"dist": "uniform", "low": _d(REPORT_LOW_S), "high": _d(REPORT_HIGH_S)},
            "control": _d(CONTROL_LINK_S),
        }
        medium = {"guard": "messaging", "report": "phone", "control": "phone"}
        notify_after = {"dist": "uniform", "low": "0s", "high": _d(NOTIFY_AFTER_HIGH_S)}
        stakeholders: list[dict[str, Any]] = []
        for control in self.controls:
            rule = {
                "id": f"{control}-pass-on",
                "on": {"fact": WARNING},
                "do": [
                    {"action": "notify", "to": link.receiver, "fact": WARNING, "after": _d(CONTROL_AFTER_S)}
                    for link in out[control]
                ],
            }
            stakeholders.append(
                {
                    "id": control,
                    "name": f"Control room {control}",
                    "kind": "police_control",
                    "units": 4,
                    "playbook": [rule] if out[control] else [],
                }
            )
        for guard in self.guards:
            actions: list[dict[str, Any]] = [{"action": "lock_down", "site": site_of[guard]}]
            actions += [
                {"action": "notify", "to": link.receiver, "fact": WARNING, "after": notify_after} for link in out[guard]
            ]
            stakeholders.append(
                {
                    "id": guard,
                    "name": f"Security of {site_of[guard]}",
                    "kind": "community_site",
                    "site": site_of[guard],
                    "units": 1,
                    "playbook": [{"id": f"{guard}-alert", "on": {"fact": WARNING}, "do": actions}],
                }
            )
        lockdown = {
            "dist": "triangular",
            "low": _d(LOCKDOWN_LOW_S),
            "mode": _d(LOCKDOWN_MODE_S),
            "high": _d(LOCKDOWN_HIGH_S),
        }
        sites = [
            {
                "id": site,
                "name": f"Community site {site}",
                "kind": SITE_KINDS[index % len(SITE_KINDS)],
                "occupancy": self.occupancy[index],
                "lockdown": {"duration": lockdown},
            }
            for index, site in enumerate(self.sites)
        ]
        channels = [
            {
                "id": link.id,
                "from": link.sender,
                "to": link.receiver,
                "medium": medium[link.kind],
                "latency": latency[link.kind],
            }
            for link in self.links
        ]
        first_control = self.controls[0]
        return {
            "schema_version": 2,
            "id": f"network-{len(self.controls) + len(self.guards)}-{len(self.links)}-seed{self.seed}",
            "title": f"A warning cascade through {len(self.sites)} community sites",
            "summary": "A generated network for benchmarks: one attack, a warning passed on from site to site.",
            "learning_objectives": ["Every community site is warned and locked down quickly."],
            "clock": {"start": "2026-03-01T10:00:00", "time_zone": "Europe/Berlin", "duration": _d(DURATION_S)},
            "facts": [{"id": WARNING, "description": "An attack is under way: lock your doors and stay inside."}],
            "sites": sites,
            "stakeholders": stakeholders,
            "channels": channels,
            "threat": {
                "description": "An attack at one community site.",
                "phases": [
                    {
                        "id": ATTACK_PHASE,
                        "kind": "attack",
                        "site": self.sites[0],
                        "duration": _d(ATTACK_S),
                        "interdictable": False,
                        "ends_with": "ended",
                        "observed_by": [{"stakeholder": self.origin, "fact": WARNING, "after": _d(SEEN_AFTER_S)}],
                    }
                ],
            },
            "milestones": [
                {
                    "id": "attack-starts",
                    "name": "Attack begins",
                    "when": {"event": "threat_phase_started", "phase": ATTACK_PHASE},
                },
                {
                    "id": "first-site-locked",
                    "name": "Attacked site locked down",
                    "when": {"event": "lockdown_complete", "site": self.sites[0]},
                },
                {
                    "id": "control-warned",
                    "name": f"{first_control} learns of the attack",
                    "when": {"fact": WARNING, "stakeholder": first_control},
                },
            ],
            "objectives": [
                {
                    "id": "control-warned-fast",
                    "name": f"{first_control} learns of the attack within 5 minutes",
                    "core_capability": "Operational Communications",
                    "since": "attack-starts",
                    "until": "control-warned",
                    "thresholds": {"performed": "5m", "some_challenges": "10m", "major_challenges": "20m"},
                }
            ],
        }


def generate(stakeholders: int = 500, channels: int = 2000, *, controls: int = 4, seed: int = 0) -> Network:
    """Generate a network of `stakeholders` (of which `controls` control rooms) joined by `channels` channels.

    Each guard reports to one control room (round robin); the control rooms form a ring; the guards form a ring,
    and the remaining channels join random pairs of guards (no duplicates), drawn from `random.Random(seed)`.

    Raises:
        ValueError: the numbers leave too few channels for the rings and the reports, or more than the guards can
            hold without duplicates.
    """
    guards = stakeholders - controls
    if controls < 1 or guards < 3:
        raise ValueError("a network needs at least one control room and three guards")
    fixed = (controls if controls > 1 else 0) + 2 * guards
    random_links = channels - fixed
    if random_links < 0 or random_links > guards * (guards - 1) - guards:
        raise ValueError(f"{channels} channels do not fit {guards} guards and {controls} control rooms")
    rng = random.Random(seed)
    control_ids = tuple(f"control-{k}" for k in range(controls))
    guard_ids = tuple(f"guard-{i:04d}" for i in range(guards))
    site_ids = tuple(f"site-{i:04d}" for i in range(guards))
    occupancy = tuple(rng.randint(20, 250) for _ in range(guards))
    links: list[Link] = []
    if controls > 1:
        for k in range(controls):
            links.append(
                Link(f"ctl-{k}-{(k + 1) % controls}", control_ids[k], control_ids[(k + 1) % controls], "control")
            )
    pairs: set[tuple[int, int]] = set()
    for i in range(guards):
        links.append(Link(f"rep-{i:04d}", guard_ids[i], control_ids[i % controls], "report"))
        pairs.add((i, (i + 1) % guards))
        links.append(Link(f"msg-{i:04d}-{(i + 1) % guards:04d}", guard_ids[i], guard_ids[(i + 1) % guards], "guard"))
    while len(links) < channels:
        i, j = rng.randrange(guards), rng.randrange(guards)
        if i == j or (i, j) in pairs:
            continue
        pairs.add((i, j))
        links.append(Link(f"msg-{i:04d}-{j:04d}", guard_ids[i], guard_ids[j], "guard"))
    return Network(seed, control_ids, guard_ids, site_ids, occupancy, tuple(links))


def check(scenario: Scenario) -> list[str]:
    """The errors `tabletop validate` would report for the scenario's cross-references (none for a valid one)."""
    from scenarios._yaml import Document
    from scenarios.validation import check_references

    diagnostics = check_references(scenario, Document(scenario.id, {}, {}), ())
    return [d.format() for d in diagnostics if d.severity == "error"]


def _d(seconds: float) -> str:
    """Seconds in the scenario notation."""
    from scenarios._base import format_duration

    return format_duration(seconds)


def _json(data: dict[str, Any]) -> bytes:
    import orjson

    return orjson.dumps(data)


def main() -> None:
    """Print the generated network's size and check it."""
    network = generate()
    scenario = network.scenario()
    errors = check(scenario)
    print(
        f"{scenario.id}: {len(scenario.stakeholders)} stakeholders, {len(scenario.channels)} channels, "
        f"{len(scenario.sites)} sites; {'valid' if not errors else 'INVALID'}"
    )
    for error in errors:
        print(f"  {error}")


if __name__ == "__main__":
    main()
