"""Putting new injects into a scenario's YAML text, keeping every byte outside `injects:` (comments included)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from scenarios._yaml import Document

_PLAIN = re.compile(r"[A-Za-z0-9_(][A-Za-z0-9 _.,'()/&-]*")
"""Text that YAML reads back as the same string when written bare (checked further in `_scalar`)."""
_NOT_TEXT = re.compile(
    r"(?i:true|false|yes|no|on|off|y|n|null|~)|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|0b[01]+"
    r"|[-+]?\.(?i:inf|nan)"
)
_DATE = re.compile(r"\d{4}-\d\d?-\d\d?")
"""A date, which YAML 1.1 readers take for one."""
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""Characters YAML refuses in a file (or that would end a line), escaped in a double-quoted string."""


@dataclass(frozen=True, slots=True)
class Block:
    """One inject of the new list: its original text (an inject kept as it was), or its data to write."""

    text: str | None
    data: Mapping[str, object] | None = None
    comments: Mapping[str, str] | None = None
    """For an edited inject: the comment at the end of each of its unchanged fields' lines (`at: 10m  # 12:04:00`)."""


def inject_blocks(document: Document, text: str) -> list[str] | None:
    """Each original inject's text, whole lines from its `- ` to the next one (None when the list is not written
    one item after another in block style, so that no original text can be kept)."""
    injects = document.data.get("injects") if isinstance(document.data, dict) else None
    if not isinstance(injects, list) or not injects:
        return None
    lines = text.splitlines(keepends=True)
    start, end = _section(document, lines)
    starts = [document.positions.get(("injects", i), (0, 0))[0] for i in range(len(injects))]
    if starts[0] <= start or any(b <= a for a, b in pairwise(starts)) or starts[-1] >= end:
        return None
    bounds = [*starts, end]
    return ["".join(lines[bounds[i] - 1 : bounds[i + 1] - 1]) for i in range(len(injects))]


def splice(document: Document, text: str, blocks: Sequence[Block]) -> str:
    """The scenario's text with its `injects:` list replaced by `blocks`, in their order.

    A scenario without `injects:` gets the list before `decisions:` (or at the end).
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    indent = _indent(document, lines)
    body = "".join(_block_text(block, indent) for block in blocks)
    section = "injects:\n" + body if blocks else "injects: []\n"
    data = document.data if isinstance(document.data, dict) else {}
    if "injects" in data:
        start, end = _section(document, lines)
        if blocks and inject_blocks(document, "".join(lines)) is not None:
            # The key's line and any comment under it, before the first item, stay as they are.
            first = document.positions[("injects", 0)][0]
            return "".join(lines[: first - 1]) + body + "".join(lines[end - 1 :])
        return "".join(lines[: start - 1]) + section + "".join(lines[end - 1 :])
    at = document.positions[("decisions",)][0] if "decisions" in data else len(lines) + 1
    return "".join(lines[: at - 1]) + section + "".join(lines[at - 1 :])


def _section(document: Document, lines: list[str]) -> tuple[int, int]:
    """The first line of `injects:` and the line after its last item (blank and comment lines at the left margin
    before the next key stay with what follows)."""
    start = document.positions.get(("injects",), (1, 1))[0]
    later = [
        line for key, (line, _) in document.positions.items() if len(key) == 1 and key != ("injects",) and line > start
    ]
    end = min(later, default=len(lines) + 1)
    while end - 1 > start and (not lines[end - 2].strip() or lines[end - 2].startswith("#")):
        end -= 1
    return start, end


def _indent(document: Document, lines: list[str]) -> int:
    """Where the original list's dashes are (items of one list must all start at the same column)."""
    line, column = document.positions.get(("injects", 0), (0, 0))
    if 0 < line <= len(lines):
        dash = lines[line - 1].rfind("-", 0, column - 1)
        if dash >= 0:
            return dash
    return 2


_COMMENTED = re.compile(r"[ \t]*(?:-[ \t]+)?(\w+):[ \t]+[^'\"#{}\[\]\n]*?[ \t]+(#[^\n]*)")
"""A line `key: plain value  # comment` (a value with quotes or brackets could hold a `#` of its own: not matched)."""


def line_comments(block: str) -> dict[str, str]:
    """The comment at the end of each `key: value  # comment` line of an inject's text, by key."""
    found: dict[str, str] = {}
    for line in block.splitlines():
        match = _COMMENTED.fullmatch(line.rstrip())
        if match is not None:
            found.setdefault(match.group(1), match.group(2))
    return found


def _plain_reads_back(text: str) -> bool:
    """Whether `text` written bare on one line (`text: Police: on the way?`) is read back by the loader as the same
    string, so that it needs no quotes (a YAML 1.1 reader would take `yes` or `on` for booleans: never bare)."""
    from scenarios._yaml import parse_document
    from scenarios.errors import ScenarioError

    if not text or text != text.strip() or _UNPRINTABLE.search(text) or _NOT_TEXT.fullmatch(text):
        return False
    if any(ch in text for ch in "\n\r\t\"'\\") or text[0] in "!&*?|>%@`#,[]{}-:" or _DATE.match(text):
        return False
    try:
        return bool(parse_document(f"k: {text}\n", "cell").data == {"k": text})
    except ScenarioError:
        return False


def _block_text(block: Block, indent: int) -> str:
    if block.text is not None:
        return block.text if block.text.endswith("\n") else block.text + "\n"
    assert block.data is not None
    pad = " " * indent
    out: list[str] = []
    for number, (key, value) in enumerate(block.data.items()):
        lead = f"{pad}- " if number == 0 else f"{pad}  "
        comment = (block.comments or {}).get(key)
        out.append(f"{lead}{key}: {_flow(value)}{'  ' + comment if comment else ''}\n")
    return "".join(out)


def _flow(value: object) -> str:
    """A value in YAML flow style that reads back exactly as `value`."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_scalar(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            repr(value)
            if math.isfinite(value)
            else (".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf"))
        )
    return _scalar(str(value))


def _scalar(text: str) -> str:
    if _PLAIN.fullmatch(text) and not _NOT_TEXT.fullmatch(text) and not text.endswith(" ") and ": " not in text:
        return text
    if _plain_reads_back(text):
        return text
    # JSON's double-quoted strings are YAML's; only the characters YAML would refuse unquoted need escapes here.
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
