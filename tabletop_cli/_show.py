"""`tabletop show`: a scenario's MSEL, decisions, objectives and variants, as tables or as JSON."""

from __future__ import annotations

import json
import shlex
import sys

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from simulator.analysis.overview import DecisionLine, InjectLine, Overview
from tabletop_cli._console import console as cli_console
from tabletop_cli._console import literal

HEADING = "bold"


def run_show(scenario: str, variant: str | None, *, json_output: bool) -> None:
    """Print the overview of `scenario` (a file or a bundled name) with `variant` applied.

    Raises:
        ScenarioError: the scenario does not load, or the variant does not apply.
        UnknownVariantError: the scenario has no such variant.
    """
    from scenarios import load_scenario
    from simulator.analysis.overview import overview

    shown = overview(load_scenario(scenario), variant)
    if json_output:
        sys.stdout.write(json.dumps(shown.to_dict(), indent=2) + "\n")
        return
    print_overview(cli_console(), shown, scenario)


def print_overview(console: Console, shown: Overview, source: str) -> None:
    """The overview as the facilitator reads it: the scenario, then its MSEL, decisions, objectives and variants.

    Args:
        console: Where to print (a literal console: text is never markup).
        shown: The overview.
        source: The scenario as the user named it, for the `tabletop run` line.
    """
    console.print(literal((shown.title, HEADING), f"  ({shown.scenario})"))
    console.print(literal(shown.summary.strip()))
    console.print(literal(("T0: ", HEADING), shown.start_text, ("   Duration: ", HEADING), shown.duration))
    if shown.variant is None:
        console.print(literal(("Variant: ", HEADING), "none (the scenario as written)"))
    else:
        console.print(literal(("Variant: ", HEADING), shown.variant, " - ", (shown.variant_description or "").strip()))
    console.print()
    console.print(_msel(shown.injects))
    console.print()
    _print_decisions(console, shown, source)
    console.print(_objectives(shown))
    console.print()
    console.print(_variants(shown))


def _title(text: str) -> Text:
    return literal((text, HEADING))


def _when(inject: InjectLine) -> Text:
    if inject.clock is None:
        return literal(inject.when)
    return literal(inject.when, ("\n" + inject.clock, "dim"))


def _msel(injects: tuple[InjectLine, ...]) -> Table:
    title = _title(f"MSEL: {len(injects)} inject{'' if len(injects) == 1 else 's'}")
    table = Table(title=title, title_justify="left", expand=True)
    # No token is ever broken across lines: a time (T+00:00:00), `contingency` and `informational` each fit their
    # column's minimum width, ids are never wrapped; only the free text wraps. The fact goes under the inject's text
    # (a column of its own, as wide as its longest id, would leave the text a dozen characters at 80 columns).
    table.add_column("#", no_wrap=True)
    table.add_column("when", ratio=2, min_width=len("contingency"))
    table.add_column("to, how", ratio=2, min_width=len("informational"))
    table.add_column("inject (fact it gives)", ratio=5, min_width=20, overflow="fold")
    for inject in injects:
        originator = "" if inject.originator is None else f"From {inject.originator}: "
        text = literal(originator + inject.text.strip())
        if inject.fact:
            text.append(f"\nfact: {inject.fact}", style="dim")
        table.add_row(
            literal(inject.id),
            _when(inject),
            literal(inject.to_name, (f"\n{inject.inject_type} / {inject.delivery_method}", "dim")),
            text,
        )
    return table


def _print_decisions(console: Console, shown: Overview, source: str) -> None:
    console.print(_title(f"Decisions: {len(shown.decisions)}"))
    if not shown.decisions:
        console.print(literal("  none: the scenario asks nobody to decide anything"))
        console.print()
        return
    first = shown.decisions[0]
    example = f"tabletop run {shlex.quote(source)} --decide {first.id}={first.options[0].id}"
    console.print(literal("  Choose an option ahead of a run by its ids, as in:"))
    console.print(literal("    ", (example, "cyan")), soft_wrap=True)  # a command to copy: never cut in two
    console.print()
    for decision in shown.decisions:
        console.print(Padding(_decision(decision), (0, 0, 1, 2)))


def _decision(decision: DecisionLine) -> Group:
    heading = literal((decision.id, HEADING), "  ", decision.prompt.strip())
    who = literal("Decided by ", decision.stakeholder_name, f" ({decision.stakeholder}), role: ", decision.role)
    opens = literal("Opens ", decision.opens, f"; deadline {decision.deadline}, then the default applies")
    table = Table(expand=True)
    table.add_column("option", no_wrap=True)
    table.add_column("label", ratio=2, overflow="fold")
    table.add_column("what it does", ratio=3, overflow="fold")
    for option in decision.options:
        does = "; ".join(option.does) or "nothing beyond the answer itself"
        if option.description:
            does = f"{option.description.strip()}\n{does}"
        option_id = literal(option.id, ("\n(default)", "yellow")) if option.default else literal(option.id)
        table.add_row(option_id, literal(option.label), literal(does))
    return Group(heading, who, opens, table)


def _objectives(shown: Overview) -> Table:
    table = Table(title=_title(f"Objectives: {len(shown.objectives)}"), title_justify="left", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("objective (core capability)", ratio=3, overflow="fold")
    table.add_column("measured from -> until", ratio=3, overflow="fold")
    table.add_column("rating limits", ratio=2, overflow="fold")
    for objective in shown.objectives:
        table.add_row(
            literal(objective.id),
            literal(objective.name, (f"\n{objective.core_capability}", "dim")),
            literal(f"{objective.since_name} -> {objective.until_name}"),
            literal(objective.measured),
        )
    return table


def _variants(shown: Overview) -> Table:
    table = Table(title=_title(f"Variants: {len(shown.variants)}"), title_justify="left", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("what changes", overflow="fold")
    for variant in shown.variants:
        marker = ("\n(shown)", "yellow") if variant.shown else ""
        table.add_row(literal(variant.id, marker), literal(" ".join(variant.description.split())))
    return table
