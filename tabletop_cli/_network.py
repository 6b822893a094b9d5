"""`tabletop network`: for an alert at each site, who learns of it when and along which path, who never does, and
which single organisation or channel cuts others off; side by side with a what-if, beside the simulation, as JSON."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from rich.console import Console
from rich.table import Table

from scenarios import Scenario
from simulator.analysis.network.model import Alert, NetworkAnalysis
from simulator.formatting import DASH, minutes
from tabletop_cli import BadOption
from tabletop_cli._console import console, literal
from tabletop_cli._network_tables import element, print_cut_offs, print_footnotes, reach_table, verdicts_of

if TYPE_CHECKING:
    from simulator.analysis.network.simulated import SimulatedReach

TOP_RELAYS = 5
"""How many organisations the betweenness list shows."""
MAX_ORIGINS = 4
"""How many of an alert's origins its title names (the table lists them all)."""
PLOT_FORMATS = (".svg", ".png")
"""The suffixes `--plot` writes (`simulator.analysis.network.plot.FORMATS`, without importing matplotlib)."""
SUMMARY_SITES = 12
"""With more sites than this with organisations at them, and no `--site` or `--from`, the tables give one line per
site (the alert there in short) rather than an alert's tables per site: nobody reads five hundred of them."""
MAX_SIMULATE = 100_000
"""More replications than anyone waits for; a typo of a few zeros is refused rather than run for hours."""


def run_network(
    scenario: str,
    variant: str | None,
    without: Sequence[str],
    *,
    sites: Sequence[str],
    origins: Sequence[str],
    plot: Path | None,
    simulate: int,
    seed: int,
    json_output: bool,
    force: bool,
    warm_up: str | None = None,
) -> None:
    """Analyse the scenario's network and print it (tables, or JSON); draw one alert to `plot`.

    `warm_up` (`--warm-up`, a duration in scenario notation such as `1h`) raises the simulated alert that long after
    T0, once the desks are busy with their background work (`simulate_alert`).

    Raises:
        BadOption: `--plot` with several sites or another suffix than .svg or .png, a negative `--simulate`.
        simulator.analysis.network.errors.NetworkError: an unknown stakeholder, channel or site.
        simulator.files.FileRefusedError: the plot's file exists and `force` is false.
    """
    from scenarios import apply_variant, load_scenario
    from simulator.analysis.network.analysis import analyse_network
    from simulator.files import refuse_existing

    if not 0 <= simulate <= MAX_SIMULATE:
        raise BadOption(f"--simulate {simulate}: give a number of replications from 0 to {MAX_SIMULATE:,}")
    warm_up_s = 0.0
    if warm_up is not None:
        from scenarios._base import parse_duration

        try:
            warm_up_s = parse_duration(warm_up)
        except ValueError as error:
            raise BadOption(f"--warm-up {warm_up}: {error}", "for example --warm-up 1h") from None
        if not simulate:
            raise BadOption("--warm-up delays the simulated alert: give --simulate N with it")
    if plot is not None:
        if len(sites) > 1:
            raise BadOption("--plot draws one alert: name at most one --site with it", "run once per site")
        if plot.suffix.lower() not in PLOT_FORMATS:
            raise BadOption(f"--plot {plot}: write a .svg or .png file", "for example --plot network.svg")
        refuse_existing(plot, replace=force)
    applied = apply_variant(load_scenario(scenario), variant)
    peopled = {s.site for s in applied.stakeholders if s.site is not None}
    summary = not json_output and not sites and not origins and len(peopled) > SUMMARY_SITES
    if summary and simulate:
        raise BadOption(
            f"--simulate plays one alert per site, and {len(peopled)} sites have organisations at them",
            "name the site with --site SITE",
        )
    # The analysis does only what the output shows: JSON gives each reach's last hop, not its path; a summary
    # across sites has no paths, no betweenness and no comparison with the network before the what-if.
    detail = not summary and not json_output
    after = analyse_network(
        applied, variant=variant, without=without, sites=sites, origins=origins, paths=detail, betweenness=not summary
    )
    before = None
    if without and not summary:
        before = analyse_network(applied, variant=variant, sites=sites, origins=origins, paths=detail)
    simulated: dict[int, dict[str, SimulatedReach]] = {}
    differences: dict[int, dict[str, str]] = {}
    if simulate:
        from simulator.analysis.network.simulated import simulate_alert

        played = _without(applied, after)
        for index, alert in enumerate(after.alerts):
            simulated[index] = simulate_alert(played, alert.origins, simulate, seed, warm_up=warm_up_s)
            differences[index] = verdicts_of(played, alert, simulated[index])
    if plot is not None and after.alerts:
        # matplotlib takes a while to import: only when there is something to draw.
        from simulator.analysis.network.plot import draw_network

        # A what-if's colours run over the same times as the drawing of the whole network: the two compare.
        scale_s = None
        if before is not None and before.alerts:
            scale_s = max((r.expected_s for r in before.alerts[0].reach if r.expected_s is not None), default=None)
        draw_network(after, after.alerts[0], applied, plot, force=force, scale_s=scale_s)
    if json_output:
        from simulator.analysis.network._render_json import analysis_json

        data = analysis_json(after, before, simulated)
        # orjson writes the JSON of hundreds of alerts in a fraction of the time json takes (keys in the order
        # given, UTF-8 text); indented for a few alerts, on one line for many (the indentation would be most of it).
        option = orjson.OPT_INDENT_2 if len(after.alerts) <= SUMMARY_SITES else 0
        sys.stdout.buffer.write(orjson.dumps(data, option=option) + b"\n")
        sys.stdout.flush()
        return
    out = console()
    if summary:
        _print_summary(out, applied, after)
    else:
        _print(out, applied, after, before, simulated, differences, sites_named=bool(sites or origins))
    if plot is not None and after.alerts:
        out.print(literal(f"Wrote the drawing of the alert at {_alert_place(after.names, after.alerts[0])} to {plot}."))


def _without(scenario: Scenario, analysis: NetworkAnalysis) -> Scenario:
    """The scenario with what the analysis left out switched off (its channels disabled), for the simulation."""
    gone = {item.id for item in analysis.removed if item.kind == "stakeholder"}
    cut = {item.id for item in analysis.removed if item.kind == "channel"}
    channels = [
        channel.model_copy(update={"enabled": False})
        if channel.id in cut or channel.from_ in gone or channel.to in gone
        else channel
        for channel in scenario.channels
    ]
    return scenario.model_copy(update={"channels": channels})


def _print(
    out: Console,
    scenario: Scenario,
    after: NetworkAnalysis,
    before: NetworkAnalysis | None,
    simulated: Mapping[int, Mapping[str, SimulatedReach]],
    differences: Mapping[int, Mapping[str, str]],
    *,
    sites_named: bool,
) -> None:
    names = after.names
    pairs = Counter((c.from_, c.to) for c in scenario.channels if c.enabled)
    several = {pair for pair, count in pairs.items() if count > 1}
    _print_head(out, scenario, after)
    for index, alert in enumerate(after.alerts):
        out.print()
        out.print(literal((_alert_title(names, alert), "bold")))
        base = before.alerts[index] if before is not None else None
        verdicts = differences.get(index, {})
        table = reach_table(alert, base, names, simulated.get(index), several, out.width, verdicts)
        out.print(table)
        print_footnotes(out, names, verdicts)
        if not any(str(column.header).startswith("passed on by") for column in table.columns):
            out.print(literal("(The paths are left out at this width: a wider terminal or --json shows them.)"))
        out.print()
        print_cut_offs(out, scenario, names, alert, changed=before is not None)
        relays = [(sid, value) for sid, value in alert.betweenness[:TOP_RELAYS]]
        if relays:
            out.print(
                literal(
                    "Relays (share of those reached whose fastest path passes through them): ",
                    "; ".join(f"{names.get(sid, sid)} {value:.2f}" for sid, value in relays),
                )
            )
    if not sites_named:
        _print_sites_without(out, after)


def _print_head(out: Console, scenario: Scenario, analysis: NetworkAnalysis) -> None:
    """The scenario's title, the size of its network, and what a what-if leaves out."""
    head = f"  {analysis.stakeholders} organisations, {analysis.channels} enabled channels"
    if analysis.variant:
        head += f", variant {analysis.variant}"
    out.print(literal((analysis.title, "bold"), head))
    if analysis.removed:
        left_out = ", ".join(element(scenario, analysis.names, item.kind, item.id) for item in analysis.removed)
        out.print(literal("What if these failed: ", (left_out, "bold")))


def _print_summary(out: Console, scenario: Scenario, analysis: NetworkAnalysis) -> None:
    """One line per site: the alert there in short."""
    names = analysis.names
    _print_head(out, scenario, analysis)
    out.print()
    out.print(literal(f"An alert at each of {len(analysis.alerts)} sites, in short (--site SITE shows one in full):"))
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("site", ratio=2, min_width=12)
    table.add_column("at T+0", justify="right", no_wrap=True)
    table.add_column("reached", justify="right", no_wrap=True)
    table.add_column("latest", ratio=2, min_width=12)
    table.add_column("never", justify="right", no_wrap=True)
    table.add_column("worst single point of failure", ratio=2, min_width=12)
    for alert in analysis.alerts:
        times = [r for r in alert.reach if r.expected_s is not None]
        latest = times[-1] if times else None
        worst = alert.cut_offs[0] if alert.cut_offs else None
        table.add_row(
            literal(names.get(alert.site or "", alert.site or "")),
            literal(str(len(alert.origins))),
            literal(str(len(times))),
            literal(
                f"T+{minutes(latest.expected_s or 0.0)} {names.get(latest.stakeholder, latest.stakeholder)}"
                if latest is not None
                else DASH
            ),
            literal(str(len(alert.reach) - len(times))),
            literal(
                f"{element(scenario, names, worst.kind, worst.id)}: cuts off {len(worst.cuts_off)}"
                if worst is not None
                else "none"
            ),
        )
    out.print(table)
    _print_sites_without(out, analysis)


def _print_sites_without(out: Console, analysis: NetworkAnalysis) -> None:
    for site in analysis.sites_without_stakeholders:
        out.print()
        out.print(
            literal(
                f"No organisation is at {analysis.names.get(site, site)}: name who raises an alert there with --from."
            )
        )


def _alert_place(names: Mapping[str, str], alert: Alert) -> str:
    if alert.site is None:
        return "its origins"
    return names.get(alert.site, alert.site)


def _alert_title(names: Mapping[str, str], alert: Alert) -> str:
    origins = [names.get(origin, origin) for origin in alert.origins]
    shown = origins[:MAX_ORIGINS] if len(origins) > MAX_ORIGINS + 1 else origins
    who = ", ".join(shown) or "nobody left"
    if len(shown) < len(origins):
        who += f" and {len(origins) - len(shown)} more"
    if alert.site is None:
        return f"An alert from {who}"
    return f"An alert at {names.get(alert.site, alert.site)} (known at T+0 by {who})"
