"""`tabletop msel export`: a scenario's injects written as an MSEL spreadsheet, CSV or XLSX by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from tabletop_cli import BadOption
from tabletop_cli._console import console, literal

FORMATS = (".csv", ".xlsx")
"""The suffixes `--out` may end in; the suffix picks the format."""


def run_export(scenario: str, variant: str | None, out: Path, *, force: bool) -> None:
    """Write the MSEL of `scenario` (with `variant` applied) to `out`, a new file unless `force`.

    Raises:
        BadOption: `out` does not end in `.csv` or `.xlsx`, or a cell cannot be kept in an XLSX workbook.
        FileRefusedError: `out` exists and `force` is not given, or is a symbolic link.
        ScenarioError: the scenario does not load, or the variant does not apply.
    """
    from scenarios import load_scenario
    from scenarios.msel.export import CellError, csv_bytes, msel_rows, xlsx_bytes
    from scenarios.overlay import apply_variant
    from simulator.files import refuse_existing, write_file

    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        shown = f"a {out.suffix} file" if out.suffix else "a file without a suffix"
        raise BadOption(
            f"--out {out}: {shown} is not a spreadsheet Tabletop writes",
            "name the file .csv or .xlsx (a spreadsheet program opens both)",
        )
    refuse_existing(out, replace=force)  # before the scenario is read: a refusal costs nothing
    loaded = apply_variant(load_scenario(scenario), variant)
    rows = msel_rows(loaded)
    try:
        data = csv_bytes(rows) if suffix == ".csv" else xlsx_bytes(rows, title=loaded.title)
    except CellError as exc:
        inject = rows[exc.row - 1][0] if exc.row > 1 else "the header"
        raise BadOption(
            f"--out {out}: {inject} ({exc.header}): {exc.message}", "write a CSV file instead (--out NAME.csv)"
        ) from None
    write_file(out, data, replace=force)
    count = len(rows) - 1
    # One whole line: the path is copied from it.
    console(soft_wrap=True).print(literal(f"Wrote {count} inject{'' if count == 1 else 's'} to {out}."))
