"""The stakeholder network: each organisation, what it knows (whether that is true, what was corrected), its units,
its decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator import FactHeld, NetworkView, PendingDecision
from simulator.narrative import t_plus


def correction_text(fact: FactHeld, names: Mapping[str, str]) -> Text:
    """`; corrected T+00:12:00 by “One attacker, one location”` for a fact since corrected, nothing otherwise."""
    if fact.corrected_t is None or fact.corrected_by is None:
        return Text()
    by = names.get(fact.corrected_by, fact.corrected_by)
    return Text(f"; corrected {t_plus(fact.corrected_t)} by “{by}”", style="yellow")


def network_text(
    network: NetworkView,
    decisions: Sequence[PendingDecision],
    names: Mapping[str, str],
    seat: str,
    *,
    links: bool = False,
) -> Text:
    """The network as lines of text, one block per organisation (readable at 80 columns).

    With `links`, each organisation's block also draws the channels it sends on (`→ Police (phone)`).
    """
    outgoing: dict[str, list[str]] = {}
    for channel in network.channels:
        receiver = names.get(channel.receiver, channel.receiver)
        state = "" if channel.enabled else ", down"
        outgoing.setdefault(channel.sender, []).append(f"{receiver} ({channel.medium}{state})")
    open_by = {d.stakeholder: d for d in decisions}
    text = Text()
    for sh in network.stakeholders:
        header = Text()
        header.append(sh.name, style="bold cyan" if sh.id == seat else "bold")
        header.append(f"  [{sh.kind}]", style="dim")
        if sh.busy is not None:
            free = max(sh.units - sh.busy, 0)
            header.append(f"  units {free} free / {sh.busy} busy")
            if sh.waiting:
                header.append(f", {sh.waiting} waiting", style="yellow")
        text.append_text(header)
        text.append("\n")
        if links and outgoing.get(sh.id):
            text.append("    → " + ", ".join(outgoing[sh.id]) + "\n", style="blue")
        for fact in sh.facts:
            mark, style = ("•", "") if fact.true is None else (("✓", "green") if fact.true else ("✗ false", "red"))
            text.append(f"    {mark} ", style=style)
            text.append(f"{fact.description}", style=style if fact.corrected_t is None else f"{style} strike".strip())
            text.append(f"  {t_plus(fact.t)} from {names.get(fact.source, fact.source)}", style="dim")
            text.append(correction_text(fact, names))
            text.append("\n")
        if sh.busy is not None and not sh.facts:
            text.append("    knows nothing yet\n", style="dim")
        decision = open_by.get(sh.id)
        if decision is not None:
            text.append(f"    ? decision open: {decision.prompt}", style="bold yellow")
            text.append(f" ({decision.time_left_s:.0f} s left)\n", style="yellow")
    lines = [c for c in network.channels if not c.enabled or c.waiting]
    if lines:
        text.append("\nChannels\n", style="bold")
        for channel in lines:
            state = "down" if not channel.enabled else f"{channel.waiting} waiting"
            sender, receiver = names.get(channel.sender, channel.sender), names.get(channel.receiver, channel.receiver)
            text.append(f"    {sender} → {receiver} ({channel.medium}): {state}\n", style="yellow")
    return text


class NetworkPanel(VerticalScroll):
    """The network as the seat may see it."""

    DEFAULT_CSS = """
    NetworkPanel > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="network-text")

    def show(
        self,
        network: NetworkView,
        decisions: Sequence[PendingDecision],
        names: Mapping[str, str],
        seat: str,
        *,
        links: bool = False,
    ) -> None:
        """Render the network (with the channels drawn, if `links`)."""
        self.query_one("#network-text", Static).update(network_text(network, decisions, names, seat, links=links))
