"""The body the exercise and replay screens share: the side network, and the tabs Feed, MSEL, Network, Objectives."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static, TabbedContent, TabPane

from tui.widgets.feed_panel import FeedPanel
from tui.widgets.msel import MselTable
from tui.widgets.network import NetworkPanel
from tui.widgets.scoreboard import ScoreboardPanel


def panels_css(screen: str) -> str:
    """The panels' layout for the screen class named `screen` (its DEFAULT_CSS): the side network shows on wide
    terminals only."""
    return f"""
    {screen} #side-network {{ display: none; width: 46; border-right: solid $panel; }}
    {screen}.-wide #side-network {{ display: block; }}
    {screen} #body {{ height: 1fr; }}
    {screen} TabbedContent {{ width: 1fr; }}
    {screen} #msel {{ height: 1fr; }}
    {screen} #msel-details {{ height: auto; max-height: 8; border-top: solid $panel; padding: 0 1; }}
    """


def compose_panels(stakeholders: Iterable[tuple[str, str]], msel: MselTable) -> ComposeResult:
    """The body, for a screen's `compose`: `stakeholders` (id, name) for the feed's filter, `msel` the MSEL's table."""
    with Horizontal(id="body"):
        yield NetworkPanel(id="side-network")
        with TabbedContent(id="tabs"):
            with TabPane("Feed", id="tab-feed"):
                yield FeedPanel(stakeholders, id="feed-panel")
            with TabPane("MSEL", id="tab-msel"):
                yield msel
                yield Static(id="msel-details")
            with TabPane("Network", id="tab-network"):
                yield NetworkPanel(id="network")
            with TabPane("Objectives", id="tab-objectives"):
                yield ScoreboardPanel(id="scoreboard")
