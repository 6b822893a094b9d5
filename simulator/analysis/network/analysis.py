"""`analyse_network`: for an alert at each site, who learns of it when, who never does, and what it hinges on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NoReturn

from scenarios import Scenario
from scenarios.names import find_named, suggestion
from scenarios.network import Channel
from simulator.analysis.network import _hops
from simulator.analysis.network.cuts import SinglePoints
from simulator.analysis.network.errors import NetworkError
from simulator.analysis.network.model import Alert, NetworkAnalysis, Reach, Removed

LEFT_OUT = "left out (--without)"
NO_CHANNEL = "no enabled channel leads to it"
NO_PATH = "no path from the alert's origins"
ALL_LEFT_OUT = "every channel to it was left out (--without)"
"""Every enabled channel to it in the full network was left out, or came from an organisation left out."""


def analyse_network(
    scenario: Scenario,
    *,
    variant: str | None = None,
    without: Sequence[str] = (),
    sites: Sequence[str] = (),
    origins: Sequence[str] = (),
    paths: bool = True,
    betweenness: bool = True,
) -> NetworkAnalysis:
    """Analyse how an alert spreads through the scenario's network (docs/network-analysis.md has the model).

    Args:
        scenario: The scenario, its variant already applied.
        variant: The variant's id, only recorded.
        without: Stakeholder ids, channel ids and `FROM->TO` pairs (every channel from FROM to TO) to leave out.
        sites: Analyse an alert at these sites only (default: at every site with stakeholders at it).
        origins: Analyse one alert that these stakeholders raise (at the one site named, if one is).
        paths: Give each reach its whole path; when false, only its last hop (`Reach.via`), from which the path can
            be followed back (a summary of many alerts, or compact JSON, needs no more).
        betweenness: Work out each alert's betweenness; when false, it is left empty.

    Returns:
        The analysis: one alert per site, or one for the named origins.

    Raises:
        NetworkError: an unknown stakeholder, channel or site (with a "did you mean"), a `FROM->TO` with no channel,
            a site nobody is at without `--from`, or several sites with `--from`.
    """
    removed = parse_without(scenario, without)
    gone = {r.id for r in removed if r.kind == "stakeholder"}
    cut = {r.id for r in removed if r.kind == "channel"}
    channels: dict[str, Channel] = {}
    for channel in scenario.channels:
        off = channel.id in cut or channel.from_ in gone or channel.to in gone
        channels[channel.id] = channel.model_copy(update={"enabled": False}) if off and channel.enabled else channel
    network = _hops.build([s for s in scenario.stakeholders if s.id not in gone], channels)
    # Who had an enabled channel leading to them before anything was left out: if the what-if took all of them,
    # that is why they are never reached.
    fed_before = frozenset(c.to for c in scenario.channels if c.enabled and c.from_ != c.to)
    at_site: dict[str, list[str]] = {site.id: [] for site in scenario.sites}
    for stakeholder in sorted(scenario.stakeholders, key=lambda s: s.id):
        if stakeholder.site is not None and stakeholder.site in at_site:
            at_site[stakeholder.site].append(stakeholder.id)
    everyone = sorted(s.id for s in scenario.stakeholders)
    people = _Names("stakeholder", {s.id: s.name for s in scenario.stakeholders})
    origins = [people.resolve(origin, "--from") for origin in origins]
    site_ids = [site.id for site in scenario.sites]
    places = _Names("site", {site.id: site.name for site in scenario.sites})
    sites = [places.resolve(site, "--site") for site in sites]
    requests: list[tuple[str | None, list[str]]]
    if origins:
        if len(sites) > 1:
            raise NetworkError("--from raises one alert: name at most one --site with it", "leave out --site")
        requests = [(sites[0] if sites else None, list(dict.fromkeys(origins)))]
    else:
        for site in sites:
            if not at_site[site]:
                raise NetworkError(
                    f"no stakeholder is at site {site!r}", "name who raises the alert there with --from STAKEHOLDER"
                )
        chosen = [s for s in site_ids if s in set(sites)] if sites else [s for s in site_ids if at_site[s]]
        requests = [(site, at_site[site]) for site in chosen]
    single_points = SinglePoints(network)
    alerts = tuple(
        _alert(
            network,
            single_points,
            everyone,
            (gone, fed_before),
            site,
            [o for o in starts if o not in gone],
            paths=paths,
            betweenness=betweenness,
        )
        for site, starts in requests
    )
    names = {s.id: s.name for s in scenario.stakeholders} | {site.id: site.name for site in scenario.sites}
    return NetworkAnalysis(
        scenario=scenario.id,
        title=scenario.title,
        variant=variant,
        removed=removed,
        names=dict(sorted(names.items())),
        stakeholders=len(network.stakeholders),
        channels=len(network.enabled()),
        alerts=alerts,
        sites_without_stakeholders=tuple(s for s in site_ids if not at_site[s]),
    )


def _alert(
    network: _hops.Network,
    single_points: SinglePoints,
    everyone: list[str],
    left_out: tuple[set[str], frozenset[str]],
    site: str | None,
    origins: list[str],
    *,
    paths: bool,
    betweenness: bool,
) -> Alert:
    gone, fed_before = left_out
    settled = _hops.fastest(network, origins)
    reached = sorted(settled, key=lambda s: (settled[s][0], s))
    # A path's chance is the product of its hops': in the order the search settled them (`settled` keeps it),
    # each sender's is known before its receiver's.
    chance: dict[str, float] = {}
    for stakeholder, (_time_s, last) in settled.items():
        chance[stakeholder] = 1.0 if last is None else chance[last.sender] * last.probability
    reach: list[Reach] = []
    for stakeholder in reached:
        time_s, last = settled[stakeholder]
        wait_s, saturated = network.waits[stakeholder]
        reach.append(
            Reach(
                stakeholder,
                time_s,
                chance[stakeholder],
                _hops.path_to(stakeholder, settled) if paths else (),
                wait_s=wait_s if last is not None else 0.0,
                saturated=saturated,
                via=last,
            )
        )
    for stakeholder in everyone:
        if stakeholder in settled:
            continue
        why = _why_not(stakeholder, network, gone, fed_before)
        saturated = network.waits[stakeholder][1] if stakeholder in network.waits else False
        reach.append(Reach(stakeholder, None, 0.0, (), saturated=saturated, why_not=why))
    times = {s: settled[s][0] for s in reached}
    return Alert(
        site=site,
        origins=tuple(origins),
        reach=tuple(reach),
        cut_offs=single_points.cut_offs(origins, times),
        betweenness=single_points.betweenness(origins, times) if betweenness else (),
    )


def _why_not(stakeholder: str, network: _hops.Network, gone: set[str], fed_before: frozenset[str]) -> str:
    """Why a stakeholder is never reached: left out, its every channel left out, none at all, or no path."""
    if stakeholder in gone:
        return LEFT_OUT
    if stakeholder in network.fed:
        return NO_PATH
    return ALL_LEFT_OUT if stakeholder in fed_before else NO_CHANNEL


def parse_without(scenario: Scenario, items: Sequence[str]) -> tuple[Removed, ...]:
    """What `--without` leaves out: stakeholders and channels (by id, a stakeholder also by name) and `FROM->TO`
    pairs, in the order given.

    Raises:
        NetworkError: an unknown id (with a "did you mean"), or a `FROM->TO` pair with no channel between them.
    """
    people = _Names("stakeholder", {s.id: s.name for s in scenario.stakeholders})
    channels = sorted(c.id for c in scenario.channels)
    removed: dict[Removed, None] = {}
    for item in items:
        text = item.strip()
        if "->" in text:
            sender, _, receiver = (part.strip() for part in text.partition("->"))
            sender = people.resolve(sender, "--without", typed=item)
            receiver = people.resolve(receiver, "--without", typed=item)
            between = sorted(c.id for c in scenario.channels if c.from_ == sender and c.to == receiver)
            if not between:
                back = [c.id for c in scenario.channels if c.from_ == receiver and c.to == sender]
                hint = f"there is one the other way: {receiver}->{sender}" if back else "list a channel id instead"
                raise NetworkError(f"--without {item!r}: no channel leads from {sender!r} to {receiver!r}", hint)
            removed.update(dict.fromkeys(Removed("channel", c) for c in between))
        elif text in channels:
            removed[Removed("channel", text)] = None
        else:
            found = people.find(text)
            if found is None:
                _unknown(item, text, [*people.ids, *channels], "stakeholder or channel", "--without", people.names)
            removed[Removed("stakeholder", found)] = None
    return tuple(removed)


class _Names:
    """Stakeholders or sites by id, or by name as printed (case and spaces aside)."""

    def __init__(self, what: str, names: dict[str, str]) -> None:
        self.what = what
        self.ids = sorted(names)
        self.names = names

    def find(self, word: str) -> str | None:
        """The id `word` is, or whose name it is; None when neither."""
        return find_named(word, self.names)

    def resolve(self, word: str, option: str, *, typed: str | None = None) -> str:
        """The id `word` names.

        Raises:
            NetworkError: it names none, with a "did you mean" (an id or a name, or the one it begins).
        """
        found = self.find(word.strip())
        if found is None:
            _unknown(typed if typed is not None else word, word.strip(), self.ids, self.what, option, self.names)
        return found


def _unknown(
    typed: str, word: str, known: Sequence[str], what: str, option: str, names: Mapping[str, str] | None = None
) -> NoReturn:
    """Raise a `NetworkError` for `word` (of the argument `typed`), with a "did you mean" when one is close."""
    match = suggestion(word, known, names)
    hint = f"did you mean {match!r}?" if match is not None else f"the {what} ids are: {', '.join(known[:20])}"
    if match is None and len(known) > 20:
        hint += ", ..."
    shown = f"{option} {typed!r}"
    raise NetworkError(f"{shown}: the scenario has no {what} {word!r}", hint)
