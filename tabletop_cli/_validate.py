"""`tabletop validate`: a verdict per file, then its diagnostics."""

from __future__ import annotations

import json
import sys

from tabletop_cli._console import console, literal


def run_validate(sources: list[str], *, json_output: bool, list_bundled: bool) -> int:
    """Check each source; return the exit code (0 all valid, 2 some invalid or nothing to check)."""
    from scenarios import bundled_names, check_scenario
    from scenarios.library import expand

    out = console(soft_wrap=True)
    if list_bundled:
        for name in bundled_names():
            out.print(name)
        return 0
    if not sources:
        console(stderr=True, soft_wrap=True).print(
            literal(
                ("Name at least one scenario file, folder or bundled name.", "red"), " Try: tabletop validate --list"
            )
        )
        return 2
    expanded = expand(sources)
    if not expanded:
        # Only empty folders were named: passing them as "all valid" would hide a wrong path in a CI job.
        console(stderr=True, soft_wrap=True).print(
            literal((f"No scenario files (.yaml, .yml) in {', '.join(sources)}.", "red"))
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
            verdict = ("valid", "green") if result.ok else ("invalid", "red")
            count = "" if result.ok else f" ({errors} error{'s' * (errors != 1)})"
            extra = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
            out.print(literal(f"{result.file}: ", verdict, count, extra))
            for diagnostic in result.diagnostics:
                out.print("  " + diagnostic.format())
    return 0 if all(r.ok for r in results) else 2
