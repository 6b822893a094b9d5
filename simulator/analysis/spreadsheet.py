"""Text written to a spreadsheet-bound file (CSV) that a spreadsheet could take for a formula, made plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets: the characters
of OWASP's "CSV Injection" page (= + - @, tab, carriage return), and the NUL of OWASP ASVS 1.2.10."""
_STARTS_PATTERN = "^[=+\\-@\\t\\r\\x00]"


def escape_formula(text: str) -> str:
    """`text` as a spreadsheet shows it as text: prefixed with a single quote when it starts like a formula.

    This is OWASP's advice for CSV files; the quoting of separators and quotes is the CSV writer's. Only text is
    escaped: numbers are written as numbers, so a negative number stays one.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def escape_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text cell escaped as `escape_formula` does; columns of numbers are left as they are."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_STARTS_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )
