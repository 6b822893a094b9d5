"""Located diagnostics and the one error type of the scenario package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Literal

Severity = Literal["error", "warning"]

SUGGESTION_CUTOFF = 0.7
"""How alike a word and a known name must be (difflib's ratio) for a "did you mean": lower, and far-off names
are offered (`retract` for `evacuate`)."""


def close_match(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to `word`, when it is close enough to be worth a "did you mean"."""
    found = get_close_matches(word, list(known), n=1, cutoff=SUGGESTION_CUTOFF)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a scenario file, with where it is and how to fix it."""

    file: str
    """The file, as the user named it."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    path: str
    """The field, like `stakeholders[2].playbook[0].on.fact`; empty for the whole file."""
    message: str
    """What is wrong."""
    hint: str | None = None
    """How to fix it (a "did you mean", an example)."""
    severity: Severity = "error"
    """Errors stop a run; warnings do not."""

    def format(self) -> str:
        """Render as `file:line:col: path: message; hint` (warnings say so)."""
        where = f"{self.file}:{self.line}:{self.column}:"
        level = " warning:" if self.severity == "warning" else ""
        path = f" {self.path}:" if self.path else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}{level}{path} {self.message}{hint}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for `--json` output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


class ScenarioError(Exception):
    """A scenario (or a request about one) is wrong; carries every diagnostic found, for rendering at the edge."""

    title = "Invalid scenario"

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], title: str | None = None) -> None:
        self.diagnostics = tuple(diagnostics)
        if title is not None:
            self.title = title
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def simple(cls, file: str, message: str, hint: str | None = None, title: str | None = None) -> ScenarioError:
        """An error about a whole file (or a name that is not a file), at line 1, column 1."""
        return cls([Diagnostic(file, 1, 1, "", message, hint)], title)


class UnknownVariantError(ScenarioError):
    """A variant the scenario does not have was asked for: a request's mistake, not a place in the file."""

    title = "Unknown variant"

    def __init__(self, scenario: str, variant: str, hint: str) -> None:
        self.variant = variant
        self.message = f"no variant {variant!r}"
        self.hint = hint
        super().__init__([Diagnostic(scenario, 1, 1, "", self.message, hint)])
