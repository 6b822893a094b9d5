"""The CLI's consoles and lines: what a user wrote is printed as written, never read as markup or emoji codes."""

from __future__ import annotations

import re

from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.style import Style
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline: an escape sequence in a title could retitle the terminal or link."""


def visible(text: str) -> str:
    """`text` with its control characters written out (`\\x1b`), so that the terminal shows them, not obeys them."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def literal(*parts: str | tuple[str, str]) -> Text:
    """One line from plain strings and `(string, style)` pairs, each shown exactly as written (see `visible`)."""
    return Text.assemble(*(visible(part) if isinstance(part, str) else (visible(part[0]), part[1]) for part in parts))


class _LiteralConsole(Console):
    """A console that shows every string it is given as written, table cells and titles included."""

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: HighlighterType | None = None,
    ) -> Text:
        """Rich's conversion of a string to text, after making its control characters visible."""
        return super().render_str(
            visible(text),
            style=style,
            justify=justify,
            overflow=overflow,
            emoji=emoji,
            markup=markup,
            highlight=highlight,
            highlighter=highlighter,
        )


def console(*, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console for the CLI's output: no markup, no emoji codes (`:100:`), no highlighting; styles come as `Text`.

    Args:
        stderr: Write to standard error (messages, progress) rather than standard output (results).
        soft_wrap: Leave long lines whole (diagnostics, which are read and searched as lines).
    """
    return _LiteralConsole(stderr=stderr, soft_wrap=soft_wrap, markup=False, emoji=False, highlight=False)
