"""What a spreadsheet cell must not start with (formula injection), and how Tabletop escapes and unescapes it."""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is taken as a formula by spreadsheet programs (OWASP's CSV injection)."""

_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def escape(text: str) -> str:
    """A cell's text made safe to open: a leading `'` when it starts with a formula character, or with quotes and
    then one (so that `unescape` gives back exactly the text written, `'=x` included)."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def unescape(text: str) -> str:
    """The text `escape` was given: one leading `'` dropped before a formula character (or before more quotes and
    one); any other text unchanged."""
    return text[1:] if _QUOTED.match(text) else text


def looks_like_formula(text: str) -> bool:
    """Whether an unescaped cell would be taken as a formula (`=SUM(A1:A3)`, or Lotus's `@SUM(A1)`), to be imported
    as text with a warning (a `+` or `-` cell is more often a phone number or a list than a formula)."""
    return text.startswith(("=", "@"))
