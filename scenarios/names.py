"""Things a person names by id or by name, as typed on a command line or in a spreadsheet cell: finding the one
meant, and the "did you mean" when none is."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from scenarios._base import slugify
from scenarios.errors import close_match

_SPACES = re.compile(r"\s+")


def folded(name: str) -> str:
    """A name as it is matched: case and spacing aside (`Police  control ROOM` is `police control room`)."""
    return _SPACES.sub(" ", name).strip().casefold()


def find_named(word: str, names: Mapping[str, str], *, slug: bool = False) -> str | None:
    """The id `word` names: an id itself, else the first item (in `names`' order) whose name it is, case and
    spacing aside, else (with `slug`) the id its slug is (`Police Control 110` for `police-control-110`).

    Args:
        word: what was typed.
        names: each id and its name, in the order to search.
        slug: whether a slug of `word` may name an id.
    """
    if word in names:
        return word
    wanted = folded(word)
    for identifier, name in names.items():
        if folded(name) == wanted:
            return identifier
    if slug:
        made = slugify(word, default="")
        if made in names:
            return made
    return None


def suggestion(word: str, ids: Sequence[str], names: Mapping[str, str] | None = None) -> str | None:
    """The id `word` was most likely meant to be, for a "did you mean": the closest id, else the item whose name is
    closest, else the one id that begins with it (`umbrella` for `umbrella-organisation`: among the named ones first);
    None when nothing is close.

    Args:
        word: what was typed, which names nothing.
        ids: the ids it could have meant.
        names: the names of some of them, by id.
    """
    match = close_match(word, ids)
    if match is None and names:
        by_name = {folded(name): identifier for identifier, name in names.items()}
        match = by_name.get(close_match(folded(word), list(by_name)) or "")
    if match is None and word:
        # The first word of an id is what people type; the named items (stakeholders) first, then every id.
        for pool in (list(names or ()), ids):
            starting = [identifier for identifier in pool if identifier.casefold().startswith(word.casefold())]
            if len(starting) == 1:
                return starting[0]
    return match
