"""What a network analysis finds, as plain frozen data (the command line, the plot and JSON render it).

The model of an alert (docs/network-analysis.md): the alert starts at the organisations at a site (or the ones named
with `--from`), at T+0. Every organisation, once it knows, passes it at once to every organisation it has an
enabled channel to, on the fastest of the enabled channels between the two (`_hops.ranked_channels`; a playbook's
`notify` without `via` takes the first by id instead: the analysis shows what the network allows at best). A
hop costs the channel's expected latency, its failures (retries, or the fallback channel, which may reach another
organisation), and at the receiver the expected intake time plus the expected wait for a free call taker under its
background work (Erlang C). An organisation's expected time to awareness is the length of its fastest expected path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ElementKind = Literal["stakeholder", "channel"]


@dataclass(frozen=True, slots=True)
class Removed:
    """A stakeholder or channel left out for a what-if (`--without`)."""

    kind: ElementKind
    """What it is."""
    id: str
    """Its id (a `FROM->TO` pair is expanded into the channels between them)."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of an alert's fastest expected path: a sender passing it to a receiver."""

    sender: str
    """The stakeholder who passes it on."""
    receiver: str
    """The stakeholder who learns it."""
    channels: tuple[str, ...]
    """The channels the message travels: the first, then any fallback channels it fell back to."""
    expected_s: float
    """This hop's expected duration, receipt and intake included (conditional on the hop getting through)."""
    probability: float
    """The chance the hop gets through this way (retries and fallbacks counted)."""


@dataclass(frozen=True, slots=True)
class Reach:
    """When one stakeholder learns of one alert."""

    stakeholder: str
    """The stakeholder."""
    expected_s: float | None
    """Expected time to awareness after the alert (0 at the origins); None when it is never reached."""
    probability: float
    """The chance the alert gets there along this path (1 at the origins, 0 when never reached)."""
    path: tuple[Hop, ...]
    """The fastest expected path, from an origin; empty at the origins and when never reached (and when the
    analysis left the paths out: `via` has the last hop)."""
    wait_s: float = 0.0
    """Of `expected_s`: the expected wait for a free call taker at this stakeholder (background work)."""
    saturated: bool = False
    """Its background work alone keeps every unit busy (utilisation at or above 1): the wait grows without bound,
    and `expected_s` counts only the intake."""
    why_not: str | None = None
    """When never reached, why: `no enabled channel leads to it`, `removed`..."""
    via: Hop | None = None
    """The last hop of `path` (None at the origins and when never reached): kept even when the analysis leaves the
    paths out (`analyse_network(paths=False)`); the path is followed back through each sender's `via`."""


@dataclass(frozen=True, slots=True)
class CutOff:
    """A single point of failure for one alert: losing it leaves other stakeholders unreached."""

    kind: ElementKind
    """A stakeholder or a channel."""
    id: str
    """Its id."""
    cuts_off: tuple[str, ...]
    """The stakeholders no longer reached without it, by expected time in the full network, then id."""


@dataclass(frozen=True, slots=True)
class Alert:
    """The analysis of one alert: who learns of it when, and what it depends on."""

    site: str | None
    """The site it starts at; None when its origins were named (`--from`)."""
    origins: tuple[str, ...]
    """The stakeholders who know at T+0."""
    reach: tuple[Reach, ...]
    """Every stakeholder, the reached ones by expected time (then id), then the never reached ones by id."""
    cut_offs: tuple[CutOff, ...]
    """Single points of failure: most stakeholders cut off first, then stakeholders before channels, then id."""
    betweenness: tuple[tuple[str, float], ...]
    """Betweenness of each stakeholder on the alert's fastest expected paths: the share (0 to 1) of the stakeholders
    reached, other than the origins, whose fastest path from the alert passes through it (equally fast paths
    sharing evenly, a hop that takes no time counted as a microsecond; networkx's `betweenness_centrality_subset`
    from a virtual source linked to every origin, divided by the number of those reached), highest first, then id;
    the origins and stakeholders with 0 are left out."""


@dataclass(frozen=True, slots=True)
class NetworkAnalysis:
    """The analysis of a scenario's network, for an alert at each site."""

    scenario: str
    """The scenario's id."""
    title: str
    """The scenario's title."""
    variant: str | None
    """The variant applied, if any."""
    removed: tuple[Removed, ...]
    """What was left out (a what-if), in the order given."""
    names: dict[str, str]
    """Every stakeholder's and site's name, by id."""
    stakeholders: int
    """How many stakeholders are left in the network."""
    channels: int
    """How many enabled channels are left."""
    alerts: tuple[Alert, ...]
    """One per site with stakeholders at it (scenario order), or one for the named origins."""
    sites_without_stakeholders: tuple[str, ...]
    """Sites no stakeholder is at: an alert there must be raised by someone named with `--from`."""
