"""Rewrite the table of record kinds in docs/analysing-runs.md: `python -m tests.regenerate_record_kinds`.

Run it from the project root. The table is `simulator.records.markdown_table()`, between the record-kinds markers;
tests/test_docs_analysing_runs.py checks that the committed document holds exactly it.
"""

from __future__ import annotations

from pathlib import Path

from simulator.records import markdown_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "analysing-runs.md"
"""The document that holds the table."""
START, END = "<!-- record-kinds:start -->\n", "<!-- record-kinds:end -->"
REGENERATE = "python -m tests.regenerate_record_kinds"
"""The command that rewrites the table (from the project root)."""


def table_in(document: str) -> str:
    """The text between the document's record-kinds markers.

    Raises:
        ValueError: the document lacks one of the markers.
    """
    _, start, rest = document.partition(START)
    table, end, _ = rest.partition(END)
    if not (start and end):
        raise ValueError(f"{DOC.name} has no {START.strip()} ... {END} markers")
    return table


def with_table(document: str) -> str:
    """The document with the text between its record-kinds markers replaced by `markdown_table()`."""
    old = table_in(document)
    before, _, after = document.partition(START + old + END)
    return before + START + markdown_table() + END + after


if __name__ == "__main__":
    DOC.write_text(with_table(DOC.read_text(encoding="utf-8")), encoding="utf-8")
