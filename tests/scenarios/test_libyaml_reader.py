"""The libyaml reader reads a plain file exactly as ruamel does, and leaves everything else to ruamel."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from benchmarks.bench_validation import ring_scenario
from scenarios import _libyaml, _yaml, bundled_names, bundled_path
from scenarios._yaml import MAX_DEPTH, parse_document
from scenarios.errors import ScenarioError

ROOT = Path(__file__).parents[2]
FILES = sorted(
    [bundled_path(name) for name in bundled_names()]
    + list((ROOT / "tests" / "scenarios" / "invalid").glob("*.yaml"))
    + list((ROOT / "docs").rglob("*.yaml"))
)


def _outcome(text: str) -> tuple[str, Any, Any]:
    try:
        document = parse_document(text, "f.yaml")
    except ScenarioError as exc:
        return ("refused", [str(d) for d in exc.diagnostics], None)
    return ("read", document.data, document.positions)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[str, Any, Any], tuple[str, Any, Any]]:
    """What parsing gives with libyaml first, and with ruamel alone."""
    fast = _outcome(text)
    with monkeypatch.context() as patched:
        patched.setattr(_libyaml, "compose", _declining)
        pure = _outcome(text)
    return fast, pure


def _declining(text: str, depth_limit: int) -> Node | None:
    raise _libyaml.Declined


def _ruamel_tree(text: str) -> Node:
    node: Node = YAML(typ="safe", pure=True).compose(io.StringIO(text))
    return node


def _shape(node: Node, value_in_mapping: bool = False) -> Any:
    """Tags, values, styles and marks of a node tree, to compare two trees.

    The mark of an empty value in a mapping is left out: the two parsers put it at different places, and nothing
    shows it (a mapping's values are located at their keys).
    """
    mark: tuple[int, int] | None = (node.start_mark.line, node.start_mark.column)
    if value_in_mapping and isinstance(node, ScalarNode) and node.value == "" and node.style is None:
        mark = None
    if isinstance(node, MappingNode):
        entries = [(_shape(key), _shape(value, value_in_mapping=True)) for key, value in node.value]
        return (str(node.tag), mark, node.flow_style, entries)
    if isinstance(node, SequenceNode):
        return (str(node.tag), mark, node.flow_style, [_shape(item) for item in node.value])
    assert isinstance(node, ScalarNode)
    return (str(node.tag), mark, node.value, node.style)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_bundled_corpus_and_docs_file_reads_the_same_as_with_ruamel(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both(path.read_text(encoding="utf-8", errors="replace"), monkeypatch)

    assert fast == pure


def test_a_plain_file_is_read_once_by_libyaml_without_the_pure_python_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, name: str) -> Node | None:
        raise AssertionError("the pure-Python reader was used")

    monkeypatch.setattr(_yaml, "_compose", refuse)

    document = parse_document(ring_scenario(50), "ring.yaml")

    assert [sh["id"] for sh in document.data["stakeholders"]][-2:] == ["x48", "x49"]


def test_libyaml_builds_the_same_node_tree_as_ruamel_with_marks_and_styles() -> None:
    text = (
        bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8")
    ) + "extra: [1, '2', \"3\", {a: b}]\nblock: |\n  x\nfolded: >-\n  y\n  z\nempty:\n"

    assert _shape(_libyaml.compose(text, MAX_DEPTH)) == _shape(_ruamel_tree(text))  # type: ignore[arg-type]


PLAIN_SCALARS = [
    "yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL", "~", "",
    "0", "-0", "+1", "012", "0o17", "0x1F", "0b101", "1_000", "1e3", "1.5e-3", ".5", "5.", ".inf", "-.Inf", ".NaN",
    "12:30", "1:20:30", "2026-01-01", "2026-01-01T10:00:00", "30s", "1h", "-3s", "=", "<<", "0.1_0",
]  # fmt: skip


@pytest.mark.parametrize("scalar", PLAIN_SCALARS)
def test_a_plain_scalar_gets_the_tag_ruamel_gives_it(scalar: str) -> None:
    text = f"key: {scalar}\nlist: [{scalar}]\n"

    assert _shape(_libyaml.compose(text, MAX_DEPTH)) == _shape(_ruamel_tree(text))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n  b: 2\n",  # a syntax error: ruamel words it
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: !custom 1\n",
        "%YAML 1.1\n---\na: yes\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\nb: 2\n",
        "a:\tb\n",
        "a: b\u2028c\n",
        "a: b\x85c\n",
        "\ufeffa: 1\n",
        "a: b\x07\n",
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "---\n",  # an empty document: ruamel says where its null is
        "- a\n-\n- b\n",
        "[a, , b]\n",
        "? \n: b\n",
    ],
    ids=repr,
)
def test_libyaml_leaves_to_ruamel_what_it_might_read_or_word_differently(text: str) -> None:
    with pytest.raises(_libyaml.Declined):
        _libyaml.compose(text, MAX_DEPTH)


def test_a_file_without_a_document_is_read_by_libyaml_as_nothing() -> None:
    assert _libyaml.compose("# only a comment\n", MAX_DEPTH) is None


def test_nesting_up_to_the_limit_is_read_by_libyaml() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH

    assert _shape(_libyaml.compose(text, MAX_DEPTH)) == _shape(_ruamel_tree(text))  # type: ignore[arg-type]


_SNIPPETS = [path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True) for path in FILES]
_SNIPPETS = [lines for lines in _SNIPPETS if lines]
_INSERTS = [*":- \n\"'[]{}#&*!%|>?,.\\~0tyn", "  ", "- ", ": ", "\n  ", "\r\n", "...", "---", "|-", ">+", "1e3"]


@st.composite
def _mutated_snippets(draw: st.DrawFn) -> str:
    """A few lines of a real file, with a few characters deleted or YAML indicators inserted."""
    lines = draw(st.sampled_from(_SNIPPETS))
    start = draw(st.integers(0, len(lines) - 1))
    text = list("".join(lines[start : start + draw(st.integers(1, 25))]))
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(text)))
        if draw(st.booleans()) and text:
            del text[min(position, len(text) - 1)]
        else:
            text.insert(position, draw(st.sampled_from(_INSERTS)))
    return "".join(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_mutated_snippets())
def test_a_mutated_file_reads_or_is_refused_the_same_as_with_ruamel(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, pure = _both(text, monkeypatch)

    assert fast == pure


@pytest.mark.parametrize("plain", [True, False])
def test_the_implicit_tags_are_those_of_ruamels_own_resolver(plain: bool) -> None:
    resolver = VersionedResolver()

    assert [str(_libyaml.IMPLICIT_TAGS.scalar(value, (plain, not plain))) for value in PLAIN_SCALARS] == [
        str(resolver.resolve(ScalarNode, value, (plain, not plain))) for value in PLAIN_SCALARS
    ]
