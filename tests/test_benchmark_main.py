"""`python -m benchmarks --json`: one JSON document of every figure, robust to bad figures and failing benchmarks."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from benchmarks import __main__ as command
from benchmarks import bench_scaling


def fake_module(name: str, main: Any) -> ModuleType:
    module = ModuleType(f"benchmarks.{name}")
    module.main = main  # type: ignore[attr-defined]
    return module


def boom() -> dict[str, object]:
    raise RuntimeError("the disk is full")


def printing_main() -> dict[str, object]:
    print("| figure | value |")
    subprocess.run([sys.executable, "-c", "print('a child process prints')"], check=True)
    return {"runs_per_s": 12.5, "counts": (1, 2), "nested": {"ok": True, "none": None}}


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    modules = {
        "bench_a_ok": fake_module("bench_a_ok", printing_main),
        "bench_b_raises": fake_module("bench_b_raises", boom),
        "bench_c_nan": fake_module("bench_c_nan", lambda: {"figures": {"ratio": float("nan")}}),
        "bench_d_path": fake_module("bench_d_path", lambda: {"log": Path("/tmp/x.jsonl")}),
        "bench_e_int_key": fake_module("bench_e_int_key", lambda: {"by_size": {50: 1.0}}),
        "bench_f_none": fake_module("bench_f_none", lambda: None),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, f"benchmarks.{name}", module)
    monkeypatch.setattr(command, "bench_modules", lambda: sorted(modules))
    return modules


def run_json(capfd: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = command.main(["--json", *argv])
    captured = capfd.readouterr()
    return code, json.loads(captured.out), captured.err


def test_json_mode_writes_one_document_on_stdout_and_the_tables_on_stderr(
    fakes: dict[str, ModuleType], capfd: pytest.CaptureFixture[str]
) -> None:
    code, document, err = run_json(capfd, "bench_a_ok", "bench_f_none")
    assert code == 0
    assert document["format"] == "tabletop-benchmarks" and document["version"] == 1
    assert set(document["machine"]) >= {"python", "platform", "cpus"}
    assert document["benchmarks"] == {
        "bench_a_ok": {"runs_per_s": 12.5, "counts": [1, 2], "nested": {"ok": True, "none": None}},
        "bench_f_none": None,
    }
    assert set(document["took_s"]) == {"bench_a_ok", "bench_f_none"} and document["failed"] == {}
    assert "| figure | value |" in err and "a child process prints" in err and "## summary" in err


def test_without_json_the_tables_go_to_stdout(fakes: dict[str, ModuleType], capfd: pytest.CaptureFixture[str]) -> None:
    assert command.main(["bench_a_ok"]) == 0
    captured = capfd.readouterr()
    assert "| figure | value |" in captured.out and "## summary" in captured.out


def test_a_failing_benchmark_fails_the_command_after_the_others_ran(
    fakes: dict[str, ModuleType], capfd: pytest.CaptureFixture[str]
) -> None:
    code, document, err = run_json(capfd)
    assert code == 1
    assert "bench_a_ok" in document["benchmarks"] and "bench_f_none" in document["benchmarks"]
    assert document["failed"]["bench_b_raises"] == "RuntimeError: the disk is full"
    assert "the disk is full" in err and "failed: bench_b_raises" in err
    assert set(document["took_s"]) == set(fakes)


def test_figures_json_cannot_hold_are_refused_naming_the_benchmark_and_the_key(
    fakes: dict[str, ModuleType], capfd: pytest.CaptureFixture[str]
) -> None:
    code, document, _err = run_json(capfd, "bench_c_nan", "bench_d_path", "bench_e_int_key")
    assert code == 1
    assert document["benchmarks"] == {}
    failed = document["failed"]
    assert failed["bench_c_nan"].startswith("bench_c_nan.figures.ratio: nan is not a JSON number")
    assert failed["bench_d_path"].startswith("bench_d_path.log: a PosixPath")
    assert failed["bench_e_int_key"].startswith("bench_e_int_key.by_size: key 50 is a int")


def test_an_infinite_figure_in_a_list_is_refused_with_its_index() -> None:
    with pytest.raises(command.NotJson, match=r"^bench_x\.rows\[1\]: inf is not a JSON number"):
        command.json_ready({"rows": [1.0, float("inf")]}, "bench_x")


def test_a_name_matching_no_benchmark_exits_2_listing_them(
    fakes: dict[str, ModuleType], capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        command.main(["--json", "nothing-like-it"])
    assert exited.value.code == 2
    assert "no benchmark matches nothing-like-it; there are: bench_a_ok" in capfd.readouterr().err


def test_an_unknown_option_exits_2_with_the_usage(capfd: pytest.CaptureFixture[str]) -> None:
    assert command.main(["--jsno"]) == 2
    assert "unknown option --jsno; usage: python -m benchmarks [--json] [NAME ...]" in capfd.readouterr().err


def test_a_real_benchmark_module_returns_json_ready_figures(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # bench_scaling itself, on two tiny networks instead of six large ones.
    monkeypatch.setattr(bench_scaling, "main", partial(bench_scaling.main, sizes=(10, 20), rounds=1, budget=20))
    code, document, _err = run_json(capfd, "bench_scaling")
    assert code == 0 and document["failed"] == {}
    figures = document["benchmarks"]["bench_scaling"]
    assert [row["stakeholders"] for row in figures["sizes"]] == [10, 20]
    assert isinstance(figures["engine_slope"], float) and figures["target_slope"] == 1.1
