"""The after-action report and improvement plan (AAR/IP) of a run log or a batch folder, as HTML or Markdown.

`build_report(path)` reads a run log (a file) or a batch's output folder (a folder) and gives the `Report`;
`write_report` writes it. The report is made in three steps, each its own module: the facts (`run_facts`,
`batch_facts`), the document (`run_document`, `batch_document`, with the plots of `plots`), the files (`render`).
"""

from __future__ import annotations

from pathlib import Path

from simulator.analysis.report.errors import ReportError
from simulator.analysis.report.model import Report
from simulator.analysis.report.render import Format, render, write_report

__all__ = ["Format", "Report", "ReportError", "build_report", "default_output", "render", "write_report"]


def build_report(path: Path) -> Report:
    """The report of a run log (a file) or of a finished batch (its `--out` folder).

    Raises:
        ReportError: the folder is not a finished batch, or the log does not re-simulate exactly.
        RunLogError: the file is not a run log of Tabletop, or was altered.
    """
    if path.is_dir():
        from simulator.analysis.report.batch_document import batch_report
        from simulator.analysis.report.batch_facts import batch_facts

        return batch_report(batch_facts(path))
    from simulator.analysis.report.run_document import run_report
    from simulator.analysis.report.run_facts import run_facts

    return run_report(run_facts(path))


def default_output(path: Path, fmt: Format) -> Path:
    """Where the report goes without `--out`: beside the log (`run.jsonl` → `run.report.html`), or in the batch's
    folder (`report.html`)."""
    if path.is_dir():
        return path / f"report.{fmt}"
    return path.with_name(f"{path.stem}.report.{fmt}")
