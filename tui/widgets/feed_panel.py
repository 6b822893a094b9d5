"""The feed with its filters: by organisation and by kind of event."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Select

from simulator.records import KINDS
from tui.widgets.feed import EventFeed, FeedLine


class FeedPanel(Vertical):
    """Two filters above the event feed."""

    DEFAULT_CSS = """
    FeedPanel > Horizontal { height: auto; }
    FeedPanel Select { width: 1fr; margin-right: 1; }
    """

    def __init__(self, stakeholders: Iterable[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._stakeholders = list(stakeholders)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Select(
                [(Text(name), sh_id) for sh_id, name in self._stakeholders],
                prompt="Every organisation",
                id="feed-stakeholder",
                compact=True,
            )
            yield Select([(kind, kind) for kind in KINDS], prompt="Every kind of event", id="feed-kind", compact=True)
        yield EventFeed(id="feed")

    @property
    def feed(self) -> EventFeed:
        """The feed itself."""
        return self.query_one(EventFeed)

    def add(self, lines: Iterable[FeedLine]) -> None:
        """Append lines to the feed."""
        self.feed.add(lines)

    def on_select_changed(self, event: Select.Changed) -> None:
        """Apply the filters."""
        event.stop()
        stakeholder = self.query_one("#feed-stakeholder", Select).value
        kind = self.query_one("#feed-kind", Select).value
        self.feed.set_filter(
            stakeholder if isinstance(stakeholder, str) else None, kind if isinstance(kind, str) else None
        )
