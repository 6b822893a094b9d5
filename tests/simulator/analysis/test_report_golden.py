"""Golden reports: the Markdown report of two bundled scenarios' golden logs is exactly the committed one.

When a change is intended, regenerate with `python -m tests.golden.report_markdown` and read the diff: it is the
report a facilitator gets.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden.report_markdown import NAMES, REGENERATE, golden_report, report_path

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", NAMES)
def test_the_markdown_report_of_a_golden_log_is_the_golden_report(name: str) -> None:
    path = report_path(name)
    assert path.exists(), f"{path} is missing: run {REGENERATE}"
    expected, actual = path.read_text(encoding="utf-8"), golden_report(name)
    if actual != expected:
        lines = zip(expected.splitlines(), actual.splitlines(), strict=False)
        where = next((i for i, (a, b) in enumerate(lines, 1) if a != b), min(len(expected), len(actual)))
        pytest.fail(f"{path.name} differs from line {where}; if intended, run {REGENERATE} and review the diff")


def test_a_report_is_the_same_bytes_under_any_hash_seed() -> None:
    script = (
        "import hashlib, sys; from pathlib import Path; "
        "from simulator.analysis.report import build_report, render; "
        "r = build_report(Path(sys.argv[1])); "
        "print(hashlib.sha256(render(r, 'html').encode() + render(r, 'md', 'x-').encode()).hexdigest())"
    )
    log = ROOT / "tests" / "golden" / "synagogue-holiday-attack.seed0.jsonl"
    digests = set()
    for seed in ("1", "987"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", script, str(log)], capture_output=True, text=True, env=environment, check=True
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1
    assert len(next(iter(digests))) == len(hashlib.sha256().hexdigest())
