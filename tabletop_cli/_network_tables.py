"""The tables of `tabletop network`: who learns of an alert when and along which path (beside a what-if and the
simulation), the footnotes on simulated times that differ, and the single points of failure."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scenarios import Scenario
from simulator.analysis.network.model import Alert, Reach
from simulator.formatting import DASH, minutes, signed
from tabletop_cli._console import literal

if TYPE_CHECKING:
    from simulator.analysis.network.simulated import SimulatedReach

ARROW = " → "
"""Between the names of a path."""
ENDS = 25
"""A table of more than twice this many organisations shows the first and the last this many (the latest and the
never reached), with a line for those left out between: a facilitator reads fifty rows, not five hundred. A list of
more than twice this many single points of failure shows the first this many (those that cut off the most)."""
COLUMN_WIDTHS = {"before": 7, "after": 10, "change": 8, "expected": 10, "chance": 6, "reached": 7}
"""About how wide each column of the reach table is (the others: 10), to see whether the path has room."""
MIN_PATH_WIDTH = 16
"""Below this width, the path column is left out: names cut into six-letter pieces help nobody (at 16, no word of
a name is cut)."""


def reach_table(
    alert: Alert,
    before: Alert | None,
    names: Mapping[str, str],
    simulated: Mapping[str, SimulatedReach] | None,
    several: Collection[tuple[str, str]],
    width: int,
    verdicts: Mapping[str, str],
) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("organisation", ratio=3, min_width=16)
    if before is not None:
        table.add_column("before", no_wrap=True)
        table.add_column("after", no_wrap=True)
        table.add_column("change", no_wrap=True)
    else:
        table.add_column("expected", no_wrap=True)
        table.add_column("chance", justify="right", no_wrap=True)
    if simulated is not None:
        # In a what-if, the simulation plays the changed network.
        table.add_column("simulated" if before is None else "simulated\n(after)", no_wrap=True)
        table.add_column("reached", justify="right", no_wrap=True)
    # The path needs room to be read: on a narrow terminal (a what-if beside the simulation at 80 columns) it is
    # left out, and a line under the table says where to find it.
    fixed = 16 + sum(COLUMN_WIDTHS.get(str(column.header), 10) for column in table.columns[1:]) + 3 * len(table.columns)
    with_path = width - fixed >= MIN_PATH_WIDTH
    if with_path:
        table.add_column("passed on by (fastest path)" if before is None else "passed on by (after)", ratio=5)
    earlier = {reach.stakeholder: reach for reach in before.reach} if before is not None else {}
    ordered = list(alert.reach)
    if before is not None:
        # Those cut off by the what-if in the order they were reached before it, then the never reached.
        order = {reach.stakeholder: index for index, reach in enumerate(before.reach)}
        reached = [r for r in ordered if r.expected_s is not None]
        ordered = reached + sorted((r for r in ordered if r.expected_s is None), key=lambda r: order[r.stakeholder])
    left_out = len(ordered) - 2 * ENDS
    for index, reach in enumerate(ordered):
        if left_out > 0 and index == ENDS:
            more = literal(f"… {left_out} more organisations (--json lists every one)")
            table.add_row(more, *([literal("…")] * (len(table.columns) - 1)), style="dim")
        if left_out > 0 and ENDS <= index < ENDS + left_out:
            continue
        cells: list[Text] = [literal(names.get(reach.stakeholder, reach.stakeholder))]
        if before is not None:
            old = earlier.get(reach.stakeholder)
            old_s = old.expected_s if old is not None else None
            cells += [_time(old_s), _time(reach.expected_s, reach), _change(old_s, reach.expected_s)]
        else:
            cells += [_time(reach.expected_s, reach), literal(_chance(reach))]
        if simulated is not None:
            played = simulated.get(reach.stakeholder)
            cells += _simulated(played, marked=reach.stakeholder in verdicts)
        if with_path:
            cells.append(_path(names, reach, several))
        never = reach.expected_s is None
        table.add_row(*cells, style="dim" if never else "")
    return table


def _time(seconds: float | None, reach: Reach | None = None) -> Text:
    if seconds is None:
        return literal("never")
    text = literal(f"T+{minutes(seconds)}")
    if reach is not None and reach.saturated:
        text.append(" busy!", style="bold")
    elif reach is not None and reach.wait_s >= 1.0:
        text.append(f"\nwait {minutes(reach.wait_s)}", style="dim")
    return text


def _change(old: float | None, new: float | None) -> Text:
    if old is None and new is None:
        return literal("")
    if new is None:
        return literal(("cut off", "bold"))
    if old is None:
        return literal("now reached")
    return literal(signed(round(new - old)))


def _chance(reach: Reach) -> str:
    if reach.expected_s is None:
        return DASH
    percent = reach.probability * 100
    return f"{percent:.0f}%" if percent >= 1 or percent == 0 else "<1%"


def _simulated(played: SimulatedReach | None, *, marked: bool) -> list[Text]:
    if played is None or played.mean_s is None:
        return [literal("never"), literal(f"0/{played.replications}" if played else "")]
    share = played.reached / played.replications
    return [literal(f"T+{minutes(played.mean_s)}", (" *" if marked else "", "bold")), literal(f"{share:.0%}")]


def verdicts_of(played: Scenario, alert: Alert, simulated: Mapping[str, SimulatedReach] | None) -> dict[str, str]:
    """For each reached stakeholder whose simulated mean does not agree with its expected time: why, most likely."""
    if simulated is None:
        return {}
    from simulator.analysis.network.simulated import AGREES, verdict

    found = {}
    for reach in alert.reach:
        there = simulated.get(reach.stakeholder)
        if reach.expected_s is None or there is None or there.mean_s is None:
            continue
        why = verdict(played, alert, reach, there)
        if why != AGREES:
            found[reach.stakeholder] = why
    return found


REASONS = {
    "desk wait": "a desk's wait on its path: the simulation starts every desk idle, the analysis counts the wait at "
    "a busy one",
    "parallel paths": "parallel paths: in each run the quickest of several ways in counts, earlier than the one "
    "fastest expected path",
    "queueing": "queueing: several messages wait at one desk, which the analysis does not count",
}
"""What a footnote says for each of `simulated.verdict`'s explanations."""


def print_footnotes(out: Console, names: Mapping[str, str], verdicts: Mapping[str, str]) -> None:
    if not verdicts:
        return
    out.print(literal("* The simulated mean differs from the expected time by more than 10% (3 s below 30 s):"))
    for stakeholder, why in verdicts.items():
        reason = REASONS.get(why, "no effect the model documents explains it")
        out.print(literal(f"  {names.get(stakeholder, stakeholder)}: {reason}."))


def _path(names: Mapping[str, str], reach: Reach, several: Collection[tuple[str, str]]) -> Text:
    if reach.expected_s is None:
        return literal(reach.why_not or "")
    if not reach.path:
        return literal("knows at T+0")
    # The organisation itself is in the first column: the path names who passed the alert to it, from the origin,
    # and the channel of a hop between two organisations that have more than one (the fastest is taken).
    steps = [
        names.get(hop.sender, hop.sender) + (f" via {hop.channels[0]}" if (hop.sender, hop.receiver) in several else "")
        for hop in reach.path
    ]
    return literal(ARROW.join(steps))


def print_cut_offs(out: Console, scenario: Scenario, names: Mapping[str, str], alert: Alert, *, changed: bool) -> None:
    title = "Single points of failure" + (" of the changed network" if changed else "")
    if not alert.cut_offs:
        out.print(literal(f"{title}: none (every organisation reached has another way in)."))
        return
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("if this fails", ratio=2)
    table.add_column("how many", justify="right", no_wrap=True)
    table.add_column("these are cut off", ratio=3)
    # Like the reach table, a long list is cut: the ones that cut off the most come first.
    shown = alert.cut_offs[:ENDS] if len(alert.cut_offs) > 2 * ENDS else alert.cut_offs
    for cut_off in shown:
        table.add_row(
            literal(element(scenario, names, cut_off.kind, cut_off.id)),
            literal(str(len(cut_off.cuts_off))),
            literal(", ".join(names.get(sid, sid) for sid in cut_off.cuts_off)),
        )
    if len(shown) < len(alert.cut_offs):
        rest = alert.cut_offs[len(shown) :]
        most = len(rest[0].cuts_off)
        table.add_row(
            literal(f"… {len(rest)} more (--json lists every one)"),
            literal(""),
            literal(f"each cuts off {most} or fewer" if most > 1 else "each cuts off one"),
            style="dim",
        )
    out.print(table)


def element(scenario: Scenario, names: Mapping[str, str], kind: str, id_: str) -> str:
    """A stakeholder by name; a channel by its id and the names at its ends."""
    if kind == "stakeholder":
        return names.get(id_, id_)
    channel = next((c for c in scenario.channels if c.id == id_), None)
    if channel is None:
        return f"channel {id_}"
    return f"channel {id_} ({names.get(channel.from_, channel.from_)}{ARROW}{names.get(channel.to, channel.to)})"
