"""`tabletop report`: the after-action report of a run log or a batch folder, as HTML or Markdown."""

from __future__ import annotations

from pathlib import Path

from tabletop_cli import BadOption
from tabletop_cli._console import console as cli_console
from tabletop_cli._console import literal


def run_report(source: Path, fmt: str, out: Path | None, *, force: bool = False) -> None:
    """Build the report of `source` and write it to `out` (default: beside the log, or in the batch folder)."""
    from simulator.analysis.report import Format, build_report, default_output, write_report
    from simulator.files import refuse_existing

    if fmt.lower() not in ("html", "md"):
        raise BadOption(f"--format {fmt!r}: use html or md")
    kind: Format = "html" if fmt.lower() == "html" else "md"
    name = "an HTML report" if kind == "html" else "a Markdown report"
    if not source.exists():
        raise BadOption(f"{source}: no such file or folder", "give a run log (.jsonl) or the --out folder of a batch")
    if out is not None and not out.name:
        raise BadOption("--out names no file", f"name the report's file, such as report.{kind}")
    target = out or default_output(source, kind)
    if target.suffix.lower() != f".{kind}":
        raise BadOption(f"--out {target}: {name} is a file ending in .{kind}", f"name it {target.stem}.{kind}")
    if not target.parent.is_dir():
        raise BadOption(
            f"--out {target}: there is no folder {target.parent}", "create the folder first, or name another one"
        )
    if target.exists() and source.is_file() and target.samefile(source):
        raise BadOption(f"{target} is the run log itself: refusing to replace it", "name another file with --out")
    refuse_existing(target, replace=force)  # before the work of building it
    report = build_report(source)
    written = write_report(report, kind, target, replace=force)
    console = cli_console(stderr=True, soft_wrap=True)
    console.print(literal(f"Report written to {written[0]}"))
    for figure in written[1:]:
        console.print(literal(f"  plot: {figure}"))
