"""Safe YAML reading with YAML 1.2 semantics, hard limits, and the line and column of every value."""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, StreamEndEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scenarios import _libyaml
from scenarios.errors import Diagnostic, ScenarioError

MAX_BYTES = 5 * 1024 * 1024
"""Largest scenario file read (a large generated network is well under 1 MB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (real scenarios stay under 15)."""

Path_ = tuple[str | int, ...]
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


class Locator(Protocol):
    """Anything that turns a path and a message into a located diagnostic."""

    def diagnostic(self, path: Path_, message: str, hint: str | None = None, severity: str = "error") -> Diagnostic: ...


@dataclass(frozen=True, slots=True)
class Document:
    """A YAML document as plain Python data, with the position of each value."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]]
    """1-based (line, column) of each value, by path; for mapping entries, the key's position."""
    sha256: str = ""
    """SHA-256 of the file's bytes (empty for data that did not come from a file)."""

    def position(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def diagnostic(self, path: Path_, message: str, hint: str | None = None, severity: str = "error") -> Diagnostic:
        """A diagnostic located at `path`."""
        line, column = self.position(path)
        return Diagnostic(
            self.file,
            line,
            column,
            format_path(path),
            message,
            hint,
            "warning" if severity == "warning" else "error",
        )


def format_path(path: Path_) -> str:
    """`('stakeholders', 2, 'units')` as `stakeholders[2].units`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file safely.

    Raises:
        ScenarioError: the file is missing, too large, not UTF-8, not YAML, uses anchors, or nests too deeply.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError.simple(name, f"cannot read the file: {exc.strerror}") from None
    if not path.is_file():
        raise ScenarioError.simple(name, "not a file")
    if size > MAX_BYTES:
        raise ScenarioError.simple(
            name,
            f"the file is {size / 1_048_576:.1f} MB, more than the {MAX_BYTES // 1_048_576} MB a scenario may be",
            "split it, or check that you named the right file",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError.simple(name, f"cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        message = f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02X} cannot be read"
        raise ScenarioError([Diagnostic(name, line, column, "", message, "save it as UTF-8")]) from None
    return replace(parse_document(text, name), sha256=hashlib.sha256(raw).hexdigest())


def parse_document(text: str, name: str) -> Document:
    """Parse YAML text (see `read_document`)."""
    try:
        node = _libyaml.compose(text, MAX_DEPTH)
    except _libyaml.Declined:
        node = _compose(text, name)
    if node is None:
        raise ScenarioError.simple(name, "the file is empty", "start from a bundled scenario: tabletop validate --list")
    positions: dict[Path_, tuple[int, int]] = {}
    errors: list[Diagnostic] = []
    data = _to_python(node, (), positions, errors, name)
    if errors:
        raise ScenarioError(errors)
    return Document(name, data, positions)


def _compose(text: str, name: str) -> Node | None:
    """The node tree, read by ruamel's pure-Python parser (the reference: every refusal is worded from it), in one
    pass that refuses anchors, aliases, a second document and deep nesting as it meets them."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _CheckingComposer
    yaml.composer.file = name
    try:
        node: Node | None = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, name) from None
    except YAMLError as exc:
        raise ScenarioError.simple(name, f"not valid YAML: {exc}") from None
    return node


class _CheckingComposer(Composer):
    """ruamel's composer, refusing what a scenario may not hold at the event that shows it, before building it
    (the events come in file order, so the first refusal is the one nearest the top of the file)."""

    file = ""
    """The file as the user named it, for the diagnostics."""
    collections = 0
    """Mappings and lists open around the node being composed."""

    def get_single_node(self) -> Any:
        """The document's root node (None for an empty stream); a second document is refused where it starts."""
        self.parser.get_event()  # the stream's start
        document = None if self.parser.check_event(StreamEndEvent) else self.compose_document()
        if not self.parser.check_event(StreamEndEvent):
            raise self._refusal(self.parser.peek_event(), "a scenario file holds one YAML document", "remove the '---'")
        self.parser.get_event()  # the stream's end
        return document

    def compose_node(self, parent: Any, index: Any) -> Any:
        """One node, after checking that it has no anchor, is no alias and does not nest too deeply."""
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise self._refusal(
                event,
                "YAML anchors and aliases (&name, *name) are not allowed in scenarios",
                "write the values out; variants are the way to reuse a scenario",
            )
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self.collections >= MAX_DEPTH:
            raise self._refusal(event, f"nesting deeper than {MAX_DEPTH} levels is refused", None)
        self.collections += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.collections -= 1

    def _refusal(self, event: Any, message: str, hint: str | None) -> ScenarioError:
        mark = event.start_mark
        return ScenarioError([Diagnostic(self.file, mark.line + 1, mark.column + 1, "", message, hint)])


def _syntax_error(exc: MarkedYAMLError, name: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    start = exc.context_mark
    if exc.context and start is not None and (start.line, start.column) != (line - 1, column - 1):
        # The parser notices a problem where it stops (often the next line); the construct it was in began here.
        context = f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
    hint = "check the indentation and that text with ': ' or '#' is quoted"
    # ruamel writes the tab as the escape sequence "\t" in its message.
    if "\\t" in problem or "\t" in problem or "tab" in problem.lower():
        hint = "indent with spaces, not tabs"
    return ScenarioError([Diagnostic(name, line, column, "", f"YAML syntax error: {problem}{context}", hint)])


def _to_python(
    node: Node, path: Path_, positions: dict[Path_, tuple[int, int]], errors: list[Diagnostic], name: str
) -> Any:
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if (tagged := _explicit_tag(node, path, name)) is not None:
        errors.append(tagged)
        return None
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if (tagged := _explicit_tag(key_node, path, name)) is not None:
                errors.append(tagged)
                continue
            if not isinstance(key_node, ScalarNode) or str(key_node.tag).endswith((":null", ":int", ":float", ":bool")):
                shown = repr(key_node.value) if isinstance(key_node, ScalarNode) else "a list or a mapping"
                errors.append(Diagnostic(name, *where, format_path(path), f"keys must be words, not {shown}"))
                continue
            key = str(key_node.value)
            if key in result:
                first = positions[(*path, key)]
                errors.append(
                    Diagnostic(
                        name,
                        *where,
                        format_path((*path, key)),
                        f"duplicate key {key!r}",
                        f"it is already set at line {first[0]}",
                    )
                )
                continue
            positions[(*path, key)] = where
            result[key] = _to_python(value_node, (*path, key), positions, errors, name)
        return result
    if isinstance(node, SequenceNode):
        return [_to_python(item, (*path, i), positions, errors, name) for i, item in enumerate(node.value)]
    return _scalar(node)


def _explicit_tag(node: Node, path: Path_, name: str) -> Diagnostic | None:
    """A diagnostic for a node written with a tag (`!!bool "yes"`, `!!binary`, `!!python/name:...`), else None.

    Tags are refused rather than honoured: a scenario means what it says plainly, and a tag the loader ignored
    would change the value silently (`!!bool "yes"` read as false).
    """
    # What YAML 1.2 reads the node as without a tag (ruamel's rules): a node whose tag differs was tagged in the file.
    tags = _libyaml.IMPLICIT_TAGS
    if isinstance(node, ScalarNode):
        implicit = tags.text if node.style else tags.scalar(node.value, (True, False))
    else:
        implicit = tags.mapping if isinstance(node, MappingNode) else tags.sequence
    tag = str(node.tag)
    if tag == str(implicit):
        return None
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return Diagnostic(
        name,
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        format_path(path),
        f"YAML tags such as {shown} are not allowed in scenarios",
        "write the value plainly (true, 12, some text) without a tag or a %YAML directive",
    )


def _scalar(node: Node) -> Any:
    """YAML 1.2 core schema: only true/false are booleans, only null/~/empty are null; times stay strings."""
    value: str = node.value
    tag = str(node.tag)
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() == "true"
    if tag.endswith(":int"):
        cleaned = value.replace("_", "")
        try:
            return int(cleaned) if _INT.match(cleaned) else int(cleaned, 0)
        except ValueError:  # also a number of more digits than Python reads (4,300): the models refuse the text
            return value
    if tag.endswith(":float"):
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return value
        # Too large for a float (1e400): keep the text, so that messages show what the author wrote, never inf.
        return number if math.isfinite(number) else value
    return value
