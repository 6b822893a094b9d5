"""Composing plain YAML with libyaml, in one linear pass; anything unusual is left to the pure-Python reader."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

_ParseError: type[Exception] = ValueError
try:
    _events: Any = importlib.import_module("yaml.events")
    _parser: Any = importlib.import_module("yaml._yaml")
    _ParseError = importlib.import_module("yaml").YAMLError
except ImportError:  # PyYAML built without libyaml: every file takes the pure-Python path
    _events = _parser = None


class Declined(Exception):
    """The pure-Python reader must read this file (it words every refusal, and reads what libyaml might not)."""


_UNUSUAL = "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
"""Characters where YAML 1.1 (libyaml) and 1.2 (ruamel) may read a file differently: tabs (1.2 allows them in
more places), NEL and the Unicode line and paragraph separators (line breaks in 1.1 only), byte order marks, and
characters neither accepts (ruamel words the refusal)."""
_UNUSUAL_ASCII = re.compile("[^\n\r\x20-\x7e]")
"""The same characters in ASCII text (the pattern above takes 5 ms to compile, more than reading a small file)."""


@cache
def _unusual() -> re.Pattern[str]:
    return re.compile(_UNUSUAL)


def _is_unusual(text: str) -> bool:
    """Whether the text holds a character of `_UNUSUAL`."""
    pattern = _UNUSUAL_ASCII if text.isascii() else _unusual()
    return pattern.search(text) is not None


def compose(text: str, depth_limit: int) -> Node | None:
    """The file's node tree, as ruamel's composer builds it (same tags, same marks); None without a document.

    libyaml is a C parser, ten times faster than ruamel's pure-Python one here; ruamel is the reference. The
    pass declines, so that ruamel reads the file and words the error, wherever a plain file's two readings could
    differ or something is wrong: a syntax error, a directive (`%YAML 1.1` changes what `yes` means), an explicit
    tag, an anchor or alias, a second document, nesting deeper than `depth_limit`, an unusual character.

    Raises:
        Declined: the pure-Python reader must read the file.
    """
    if _parser is None or _is_unusual(text):
        raise Declined
    try:
        return _compose(_parser.CParser(text), IMPLICIT_TAGS, depth_limit)
    except _ParseError:
        raise Declined from None


class ImplicitTags:
    """ruamel's YAML 1.2 tags for untagged nodes, fast: its own `resolve` works out the YAML version at every call
    (through two caught exceptions), which would cost more than parsing."""

    def __init__(self) -> None:
        resolver = VersionedResolver()
        # Bound `match` methods: ruamel wraps each pattern in a lazy proxy that costs an attribute lookup per use.
        self.by_first: dict[str | None, list[tuple[str, Callable[[str], object]]]] = {
            first: [(suffix, pattern.match) for suffix, pattern in rules]
            for first, rules in resolver.versioned_resolver.items()
        }
        self.any_first = self.by_first.get(None, [])
        self.text = resolver.DEFAULT_SCALAR_TAG
        self.mapping = resolver.DEFAULT_MAPPING_TAG
        self.sequence = resolver.DEFAULT_SEQUENCE_TAG
        self.found: dict[str, Tag] = {}

    def scalar(self, value: str, implicit: tuple[bool, bool]) -> Tag:
        """The tag ruamel's `VersionedResolver.resolve` gives a scalar: a plain one by the first rule it matches."""
        if not implicit[0]:
            return self.text
        for suffix, match in self.by_first.get(value[:1], []) + self.any_first:
            if match(value):
                tag = self.found.get(suffix)
                if tag is None:
                    tag = self.found[suffix] = Tag(suffix=suffix)
                return tag
        return self.text


IMPLICIT_TAGS = ImplicitTags()
"""The tags of untagged nodes (shared: it only caches)."""


def _compose(parser: Any, tags: ImplicitTags, depth_limit: int) -> Node | None:
    scalar_event = _events.ScalarEvent
    mapping_start = _events.MappingStartEvent
    sequence_start = _events.SequenceStartEvent
    collection_end = _events.CollectionEndEvent
    document_start = _events.DocumentStartEvent
    node_event = _events.NodeEvent
    root: Node | None = None
    documents = 0
    # Each open collection, with (for a mapping) the key whose value comes next, or nothing while a key comes next.
    stack: list[tuple[Node, list[Node]]] = []
    while (event := parser.get_event()) is not None:
        cls = type(event)
        node: Node
        if cls is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise Declined
            if not event.value and not event.style and (not stack or not stack[-1][1]):
                # An empty plain scalar that is not a mapping's value: the parsers locate it differently, and here
                # the location shows (in a list, at the top, as a key).
                raise Declined
            node = ScalarNode(
                tags.scalar(event.value, event.implicit),
                event.value,
                event.start_mark,
                event.end_mark,
                style=event.style or None,  # ruamel writes a plain scalar's style as None, libyaml as ""
            )
        elif cls is mapping_start or cls is sequence_start:
            if event.anchor is not None or event.tag is not None or len(stack) >= depth_limit:
                raise Declined
            if cls is mapping_start:
                node = MappingNode(tags.mapping, [], event.start_mark, None, flow_style=event.flow_style)
            else:
                node = SequenceNode(tags.sequence, [], event.start_mark, None, flow_style=event.flow_style)
            stack.append((node, []))
            continue
        elif isinstance(event, collection_end):
            node, _ = stack.pop()
            node.end_mark = event.end_mark
        elif cls is document_start:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise Declined
            continue
        elif isinstance(event, node_event):  # an alias
            raise Declined
        else:  # the stream's and the document's other markers
            continue
        if not stack:
            root = node
        else:
            parent, key = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif key:
                parent.value.append((key.pop(), node))
            else:
                key.append(node)
    return root
