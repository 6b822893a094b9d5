"""Regenerate the golden Markdown reports: `python -m tests.golden.report_markdown [--check]`, from the project root.

A golden report is `tabletop report LOG --format md` of the golden run log of a bundled scenario
(`tests/golden/<name>.seed0.jsonl`), with the generator's version written `golden` so that a version bump does not
change it. Regenerate only on purpose (the report, the engine or a bundled scenario changed), then review the diff.
With `--check`, nothing is written: the exit code is 1 if a golden report is missing or out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.analysis.report import build_report, render
from simulator.exercise import tool_version
from tests.golden.regenerate import golden_path

NAMES = ("synagogue-holiday-attack", "bomb-threat-misinformation")
"""The bundled scenarios with a golden report: a violent attack, and a hoax with a false report."""
FOLDER = Path(__file__).resolve().parent / "report"
REGENERATE = "python -m tests.golden.report_markdown"


def report_path(name: str) -> Path:
    """The golden Markdown report of a bundled scenario."""
    return FOLDER / f"{name}.seed0.report.md"


def golden_report(name: str) -> str:
    """The Markdown report of the golden log of `name`, as `tabletop report` writes it (plots named beside it)."""
    log = golden_path(name)
    text = render(build_report(log), "md", f"{log.stem}.report-")
    return text.replace(f"Tabletop {tool_version()}", "Tabletop golden")


def main(arguments: list[str]) -> int:
    """Write (or with `--check`, compare) every golden report; 1 if one is missing or stale under `--check`."""
    check = "--check" in arguments
    stale = []
    for name in NAMES:
        path, text = report_path(name), golden_report(name)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        FOLDER.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    for name in stale:
        print(f"stale: {report_path(name)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
