"""Values no scenario can hold, found before the models see them: overlong integers, infinite numbers, lone
surrogates, control characters."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from scenarios._yaml import Locator, Path_
from scenarios.errors import Diagnostic


def unreadable_values(data: Any, document: Locator, prefix: Path_ = ()) -> list[Diagnostic]:
    """Numbers and texts no scenario can hold: whole numbers beyond 64 bits, infinite or NaN numbers, and text with
    a lone surrogate (`"\\ud800"`), which is not a character. Each is located; the models never see them."""
    found: list[Diagnostic] = []
    for path, message, hint in _unreadable(data, ()):
        diagnostic = document.diagnostic((*prefix, *path), message, hint)
        # The path itself may hold the surrogate (a key), and no terminal can print it.
        found.append(replace(diagnostic, path=_printable(diagnostic.path)))
    return found


_INT64 = range(-(2**63), 2**63)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters but tab, line feed and carriage return: a terminal obeys them (an escape sequence can retitle
it, link text to a web address or clear the screen) instead of showing them, in every console a name reaches."""


def _unreadable(value: Any, path: Path_) -> Iterator[tuple[Path_, str, str | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not _is_unicode(key):
                yield (
                    (*path, key),
                    "the key holds a lone surrogate (an escape such as \\ud800), which is not text",
                    None,
                )
            yield from _unreadable(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unreadable(item, (*path, index))
    elif isinstance(value, str):
        if not _is_unicode(value):
            yield (
                path,
                "the text holds a lone surrogate (an escape such as \\ud800), which is not a character",
                "remove the \\u escape, or write the character itself",
            )
        elif (control := _CONTROL.search(value)) is not None:
            yield (
                path,
                f"the text holds the control character U+{ord(control.group()):04X}, which a terminal would obey "
                "rather than show",
                "remove it (a tab or a line break is fine)",
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int) and value not in _INT64:
        digits = len(str(abs(value)))
        yield (
            path,
            f"a whole number of {digits} digits is too large",
            "no number in a scenario needs more than 18 digits",
        )
    elif isinstance(value, float) and not math.isfinite(value):
        yield path, f"{value} is not a finite number", "write a number such as 0.5 or 1000"


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(text: str) -> str:
    return text if _is_unicode(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")
