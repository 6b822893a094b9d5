"""The YAML reader: YAML 1.2 values, and hostile files refused with a located message instead of a crash."""

from __future__ import annotations

import pathlib
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_loader_limits import alias_bomb, measure, write_huge_file
from scenarios import Diagnostic, ScenarioError, check_scenario
from scenarios._yaml import MAX_BYTES, MAX_DEPTH, Document, parse_document, read_document


def _parse(text: str) -> Any:
    return parse_document(text, "test.yaml").data


def _refusal(text: str) -> list[Diagnostic]:
    with pytest.raises(ScenarioError) as caught:
        parse_document(text, "test.yaml")
    return list(caught.value.diagnostics)


# YAML 1.2 semantics


def test_country_code_no_stays_the_text_no() -> None:
    assert _parse("country: NO\nanswer: no\nflag: yes\nswitch: off\n") == {
        "country": "NO",
        "answer": "no",
        "flag": "yes",
        "switch": "off",
    }


def test_a_clock_time_stays_text_rather_than_becoming_sexagesimal_seconds() -> None:
    assert _parse("time: 12:30\nlong: 1:20:30\n") == {"time": "12:30", "long": "1:20:30"}


def test_the_key_on_stays_the_text_on() -> None:
    assert _parse("on: {fact: shots-fired}\n") == {"on": {"fact": "shots-fired"}}


def test_only_true_and_false_are_booleans_and_only_null_tilde_and_empty_are_null() -> None:
    assert _parse("a: true\nb: False\nc: null\nd: ~\ne:\nf: None\n") == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": None,
        "f": "None",
    }


def test_octal_hex_and_underscore_integers_are_read_as_numbers() -> None:
    assert _parse("octal: 0o17\nhex: 0x1F\nseparated: 1_000\nsigned: -5\nplus: +5\n") == {
        "octal": 15,
        "hex": 31,
        "separated": 1000,
        "signed": -5,
        "plus": 5,
    }


def test_a_number_with_a_leading_zero_stays_text_rather_than_being_guessed_octal() -> None:
    assert _parse("old_octal: 017\n") == {"old_octal": "017"}


def test_floats_are_numbers_but_infinity_and_nan_stay_text() -> None:
    assert _parse("a: 1.5\nb: 1e3\nc: .inf\nd: .nan\n") == {"a": 1.5, "b": 1000.0, "c": ".inf", "d": ".nan"}


def test_dates_and_timestamps_stay_text() -> None:
    assert _parse("day: 2026-09-21\nstart: 2026-09-21T11:50:00\n") == {
        "day": "2026-09-21",
        "start": "2026-09-21T11:50:00",
    }


def test_a_python_tag_constructs_nothing_and_is_refused_where_it_is_written() -> None:
    refused = _refusal("title: !!python/object/apply:os.system [echo hi]\nname: !!python/name:os.system x\n")

    assert [(d.line, d.column, d.path, d.message) for d in refused] == [
        (1, 8, "title", "YAML tags such as !!python/object/apply:os.system are not allowed in scenarios"),
        (2, 7, "name", "YAML tags such as !!python/name:os.system are not allowed in scenarios"),
    ]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfcountry: NO\n")

    assert read_document(path).data == {"country": "NO"}


def test_every_value_keeps_the_line_and_column_of_its_key() -> None:
    document = parse_document("clock:\n  start: '11:50'\nsites:\n  - id: synagogue\n", "test.yaml")

    assert document.positions == {
        (): (1, 1),
        ("clock",): (1, 1),
        ("clock", "start"): (2, 3),
        ("sites",): (3, 1),
        ("sites", 0): (4, 5),
        ("sites", 0, "id"): (4, 5),
    }


def test_a_missing_path_is_located_at_its_nearest_ancestor() -> None:
    document = Document("test.yaml", {}, {(): (1, 1), ("sites",): (3, 1)})

    assert document.position(("sites", 4, "name")) == (3, 1)


# Hostile files


def test_a_one_kilobyte_alias_bomb_is_refused_at_its_first_anchor() -> None:
    bomb = alias_bomb()

    assert 300 < len(bomb) < 1100
    assert [(d.line, d.column, d.message) for d in _refusal(bomb)] == [
        (1, 5, "YAML anchors and aliases (&name, *name) are not allowed in scenarios"),
    ]


def test_an_alias_to_an_undefined_anchor_is_refused_as_an_alias() -> None:
    assert [d.message for d in _refusal("a: *nowhere\n")] == [
        "YAML anchors and aliases (&name, *name) are not allowed in scenarios"
    ]


def test_a_merge_key_is_refused_because_it_needs_an_alias() -> None:
    refusal = _refusal("base: &base {units: 2}\npatrols:\n  <<: *base\n")

    assert [(d.line, d.message) for d in refusal] == [
        (1, "YAML anchors and aliases (&name, *name) are not allowed in scenarios")
    ]


def test_a_50_megabyte_file_is_refused_for_its_size_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_huge_file(tmp_path / "huge.yaml", 50 * 1_048_576)

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    monkeypatch.setattr(pathlib.Path, "read_text", no_reading)
    monkeypatch.setattr(pathlib.Path, "open", no_reading)
    result = check_scenario(path)

    assert [(d.line, d.column, d.message, d.hint) for d in result.diagnostics] == [
        (
            1,
            1,
            "the file is 50.0 MB, more than the 5 MB a scenario may be",
            "split it, or check that you named the right file",
        )
    ]


def test_a_file_one_byte_over_the_limit_is_refused_for_its_size(tmp_path: Path) -> None:
    path = write_huge_file(tmp_path / "over.yaml", MAX_BYTES + 1)

    with pytest.raises(ScenarioError, match="more than the 5 MB a scenario may be"):
        read_document(path)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "[" * 10_000,
        "{a: " * 10_000 + "}" * 10_000,
        "- " * 10_000 + "x\n",
        "[\n" * 10_000,
    ],
    ids=["flow-lists", "unclosed-flow-lists", "flow-mappings", "block-lists", "one-bracket-a-line"],
)
def test_ten_thousand_levels_of_nesting_are_refused_with_a_nesting_message(text: str) -> None:
    assert [d.message for d in _refusal(text)] == [f"nesting deeper than {MAX_DEPTH} levels is refused"]


def test_nesting_is_refused_at_the_first_level_too_deep() -> None:
    assert [(d.line, d.column) for d in _refusal("[" * 10_000)] == [(1, MAX_DEPTH + 1)]


def test_nesting_up_to_the_limit_is_accepted() -> None:
    data = _parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)

    for _ in range(MAX_DEPTH - 1):
        assert isinstance(data, list)
        data = data[0]
    assert data == []


def test_a_file_that_is_not_utf8_is_refused_at_the_byte_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: small\ntitle: Café\n".encode("latin-1"))

    with pytest.raises(ScenarioError) as caught:
        read_document(path)

    assert [d.format() for d in caught.value.diagnostics] == [
        f"{path}:2:11: the file is not UTF-8 text: byte 0xE9 cannot be read; save it as UTF-8"
    ]


def test_a_utf16_file_is_refused_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("id: small\n".encode("utf-16"))

    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        read_document(path)


def test_duplicate_keys_are_refused_at_the_second_with_the_line_of_the_first() -> None:
    assert [d.format() for d in _refusal("sites:\n  - id: a\n    name: A\n    name: B\n")] == [
        "test.yaml:4:5: sites[0].name: duplicate key 'name'; it is already set at line 3"
    ]


def test_every_duplicate_key_in_a_file_is_reported_at_once() -> None:
    assert [(d.line, d.path) for d in _refusal("a: 1\nb: 2\na: 3\nb: 4\n")] == [(3, "a"), (4, "b")]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1: x\n", "'1'"),
        ("1.5: x\n", "'1.5'"),
        ("true: x\n", "'true'"),
        ("~: x\n", "'~'"),
        ("? [a, b]\n: x\n", "a list or a mapping"),
        ("? {a: 1}\n: x\n", "a list or a mapping"),
    ],
    ids=["integer", "float", "boolean", "null", "list", "mapping"],
)
def test_a_key_that_is_not_text_is_refused(text: str, shown: str) -> None:
    assert [d.message for d in _refusal(text)] == [f"keys must be words, not {shown}"]


def test_a_quoted_number_is_a_valid_key() -> None:
    assert _parse("'1': x\n") == {"1": "x"}


def test_a_second_document_is_refused_at_its_separator() -> None:
    assert [(d.line, d.message, d.hint) for d in _refusal("a: 1\n---\nb: 2\n")] == [
        (2, "a scenario file holds one YAML document", "remove the '---'")
    ]


def test_one_document_may_start_with_a_separator_and_end_with_an_end_marker() -> None:
    assert _parse("---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize("text", ["", "\n\n   \n", "# only a comment\n"], ids=["empty", "blank", "comment"])
def test_a_file_without_content_is_refused_as_empty(text: str) -> None:
    assert [d.message for d in _refusal(text)] == ["the file is empty"]


def test_a_missing_file_is_refused_without_a_traceback(tmp_path: Path) -> None:
    result = check_scenario(tmp_path / "missing.yaml")

    assert [d.message for d in result.diagnostics] == ["cannot read the file: No such file or directory"]


def test_a_folder_given_as_a_file_is_refused_as_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()

    assert [d.message for d in check_scenario(folder).diagnostics] == ["not a file"]


def test_the_loader_limits_benchmark_loads_the_baseline_and_refuses_each_hostile_file(tmp_path: Path) -> None:
    outcomes = {key: timing.outcome for key, timing in measure(tmp_path, repeat=1).items()}

    assert outcomes == {
        "baseline": "loaded",
        "alias_bomb": "YAML anchors and aliases (&name, *name) are not allowed in scenarios",
        "huge_file": "the file is 50.0 MB, more than the 5 MB a scenario may be",
        "deep_nesting": f"nesting deeper than {MAX_DEPTH} levels is refused",
    }
