"""`tabletop validate`: a verdict per file, then its diagnostics."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape


def run_validate(sources: list[str], *, json_output: bool, list_bundled: bool) -> int:
    """Check each source; return the exit code (0 all valid, 2 some invalid or nothing to check)."""
    from scenarios import bundled_names, check_scenario
    from scenarios.library import expand

    console = Console(highlight=False, soft_wrap=True)
    if list_bundled:
        for name in bundled_names():
            console.print(name, markup=False)
        return 0
    if not sources:
        Console(stderr=True, soft_wrap=True).print(
            "[red]Name at least one scenario file, folder or bundled name.[/] Try: tabletop validate --list"
        )
        return 2
    expanded = expand(sources)
    if not expanded:
        # Only empty folders were named: passing them as "all valid" would hide a wrong path in a CI job.
        Console(stderr=True, soft_wrap=True).print(
            f"[red]No scenario files (.yaml, .yml) in {escape(', '.join(sources))}.[/]", highlight=False
        )
        return 2
    results = [check_scenario(source) for source in expanded]
    if json_output:
        report = [
            {
                "file": r.file,
                "valid": r.ok,
                "scenario": r.scenario.id if r.scenario else None,
                "sha256": r.sha256 or None,
                "diagnostics": [d.to_dict() for d in r.diagnostics],
            }
            for r in results
        ]
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        for result in results:
            errors = sum(d.severity == "error" for d in result.diagnostics)
            warnings = len(result.diagnostics) - errors
            verdict = "[green]valid[/]" if result.ok else f"[red]invalid[/] ({errors} error{'s' * (errors != 1)})"
            extra = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
            console.print(f"{escape(result.file)}: {verdict}{extra}")
            for diagnostic in result.diagnostics:
                console.print("  " + diagnostic.format(), markup=False)
    return 0 if all(r.ok for r in results) else 2
