"""Acceptance: extreme values written into the bundled scenarios never give a traceback or a hang, and a run of any
mutant that validates ends with strict JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, NoReturn

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from scenarios import bundled_names, bundled_path
from tests.cli import invoke

PLACEHOLDER = "extreme-value-goes-here"

NUMBERS = [
    "9" * 400,
    "9" * 5000,
    "-" + "9" * 30,
    "9223372036854775808",
    "-0",
    "0",
    "1",
    "-0.0",
    "1e308",
    "-1e308",
    "1e400",
    "1e-400",
    "5e-324",
    ".nan",
    ".inf",
    "-.inf",
    "NaN",
    "Infinity",
    "1000",
    "10000",
]
DURATIONS = [
    f"{'9' * 400}h",
    f"{'9' * 400}s",
    f"0.{'0' * 400}1s",
    "0s",
    "0.000001s",
    "1e308s",
    "720h",
    "721h",
]
TEXTS = [
    '"[/]"',
    '"[link=x]click[/link]"',
    '"[red]Police[/red] [/]"',
    '"[blink red on white]FAKE[/]"',
    '":100: :police_car:"',
    '"\\ud800"',
    '"a\\udfffb"',
    '"\\x00"',
    '"\\x07\\x1b[31mred"',
    '"\\u202eevil"',
    "\"=cmd|' /C calc'!A0\"",
    '"' + "long " * 4000 + '"',
    "'quoted, with: colon'",
    '"%s %(x)s {0} {x}"',
]
OTHERS = ['"nan"', "true", "null", "[]", "{}", "!!bool yes"]
EXTREMES = {"number": NUMBERS, "duration": DURATIONS, "text": TEXTS, "other": OTHERS}
"""YAML source text for one value, by the kind of value it replaces: huge, tiny, negative zero and non-finite
numbers; durations at and past the limits; Rich markup, emoji codes, lone surrogates, control characters and long
text; and values of the wrong kind (empty collections, a tag)."""
FREE_TEXT = frozenset({"title", "summary", "name", "description", "text", "label", "prompt", "role", "notes"})
"""Keys whose value is text only people read: extreme text there leaves the scenario valid."""


def _bundled(name: str) -> Any:
    return YAML(typ="safe", pure=True).load(bundled_path(name).read_text(encoding="utf-8"))


BASES = {name: _bundled(name) for name in bundled_names()}


def _leaves(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every scalar inside the data, in file order."""
    if isinstance(node, dict):
        return [path for key, value in node.items() for path in _leaves(value, (*prefix, key))]
    if isinstance(node, list):
        return [path for index, value in enumerate(node) for path in _leaves(value, (*prefix, index))]
    return [prefix]


def _kind(path: tuple[Any, ...], value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "other"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str) and value[:1].isdigit() and value[-1:] in ("s", "m", "h"):
        return "duration"
    return "text" if path[-1] in FREE_TEXT else "other"


def _value(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


LEAVES = {
    (name, kind): [path for path in _leaves(data) if _kind(path, _value(data, path)) == kind]
    for name, data in BASES.items()
    for kind in EXTREMES
}
"""The values of each bundled scenario, by kind."""


@st.composite
def mutants(draw: st.DrawFn) -> str:
    """The YAML text of a bundled scenario with one or two values replaced by extreme ones, mostly of their kind."""
    name = draw(st.sampled_from(sorted(BASES)))
    data = json.loads(json.dumps(BASES[name]))
    values = []
    for index in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["text", "number", "duration", "other"]))
        path = draw(st.sampled_from(LEAVES[name, kind]))
        pool = EXTREMES[kind] if draw(st.integers(0, 4)) else EXTREMES[draw(st.sampled_from(sorted(EXTREMES)))]
        values.append(draw(st.sampled_from(pool)))
        parent = _value(data, path[:-1])
        parent[path[-1]] = f"{PLACEHOLDER}-{index}"
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.width = 4096
    yaml.dump(data, out)
    text = out.getvalue()
    for index, value in enumerate(values):
        text = text.replace(f"{PLACEHOLDER}-{index}", value)
    return text


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def test_every_bundled_scenario_written_back_without_a_change_is_still_valid(tmp_path: Path) -> None:
    for name, data in BASES.items():
        out = io.StringIO()
        YAML(typ="safe", pure=True).dump(data, out)
        path = tmp_path / f"{name}.yaml"
        path.write_text(out.getvalue(), encoding="utf-8")

        assert invoke("validate", str(path))[0] == 0, name


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutants())
def test_an_extreme_value_is_refused_plainly_or_runs_to_the_end_with_strict_json(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")

    code, output = invoke("validate", str(path))  # fails on a traceback or an uncaught exception

    assert code in (0, 2), output
    if code == 0:
        code, output = invoke("run", str(path), "--json")
        assert code == 0, output
        json.loads(output, parse_constant=_no_constant)
