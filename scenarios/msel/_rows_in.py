"""The rows of an MSEL sheet as inject data: each cell read as its column's field, a missing column kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from scenarios._base import format_duration
from scenarios.errors import close_match
from scenarios.msel import _cells_in as cells_in
from scenarios.msel._inject_data import has_lines, ordered
from scenarios.msel._layout_in import (
    Layout,
    Problems,
    accepted_headers,
    column_letters,
    data_rows,
    headerless_columns,
    stray_rows,
    value_at,
)
from scenarios.msel.read import Cell, Sheet
from scenarios.msel.times import TimeError, parse_time
from scenarios.scenario import Scenario

_FREE_TEXT = frozenset(
    {"move", "from", "text", "expected_action", "core_capability", "critical_task", "controller", "notes", "source"}
)
_FORMULA = "a formula is imported as its text, not evaluated"


@dataclass(slots=True)
class Row:
    """One inject row of the sheet."""

    number: int
    """Its row in the sheet."""
    id: str
    data: dict[str, object]
    """The inject as a scenario file holds it (plain values, `from` for the originator)."""
    ok: bool = True
    """Whether every cell of it could be read."""


def read_rows(
    sheet: Sheet,
    layout: Layout,
    scenario: Scenario,
    originals: Mapping[str, Mapping[str, object]],
    *,
    start: datetime,
    mode: Literal["elapsed", "clock"],
    problems: Problems,
) -> list[Row]:
    """Every inject row of the sheet as inject data; each problem is noted at its cell.

    Args:
        sheet: the sheet.
        layout: its header row and columns.
        scenario: the scenario the injects go into (its stakeholders, objectives and facts are named by the cells).
        originals: the scenario's injects as its file holds them, by id: a column the sheet lacks keeps their value.
        start: T0.
        mode: how bare times are read.
        problems: where the problems go.
    """
    table = data_rows(sheet, layout)
    reader = _RowReader(layout, problems, start, mode, scenario, headerless_columns(table, layout))
    rows: list[Row] = []
    seen: dict[str, int] = {}
    if "id" not in layout.known:
        problems.add(
            layout.row,
            1,
            "",
            "no Inject # column: the injects are numbered inj-01, inj-02... in row order, and each row is a new "
            "inject (nothing is taken from the scenario's injects)",
            warn=True,
        )
        originals = {}
    reader.given_ids(table)
    stray = stray_rows(sheet, layout)
    if stray:
        shown = ", ".join(str(number) for number, _ in stray[:10]) + (", ..." if len(stray) > 10 else "")
        problems.add(
            stray[0][0],
            stray[0][1],
            "",
            f"row{'s' * (len(stray) > 1)} {shown} {'have' if len(stray) > 1 else 'has'} values only under no header: "
            "ignored",
            "move them into the table's columns to import them",
            warn=True,
        )
    for position, cells in enumerate(table, 1):
        row = reader.read(cells, position, originals)
        if row is None:
            continue
        if row.id in seen:
            index, header = layout.known.get("id", (0, ""))
            problems.add(
                row.number,
                index + 1,
                header,
                f"the id {row.id!r} is taken by row {seen[row.id]} too",
                "give each inject its own id",
            )
            continue
        seen[row.id] = row.number
        if row.ok:
            rows.append(row)
    for number, index, header, inject in reader.inject_references:
        if inject not in seen:
            close = close_match(inject, list(seen))
            hint = f"did you mean {close!r}?" if close else "name an inject of the sheet by its Inject #"
            problems.add(number, index + 1, header, f"inject: no inject {inject!r} in the sheet", hint)
    reader.column_warnings()
    return rows


class _RowReader:
    """Reads one row after another, and notes each column's one-off warnings once."""

    def __init__(
        self,
        layout: Layout,
        problems: Problems,
        start: datetime,
        mode: Literal["elapsed", "clock"],
        scenario: Scenario,
        headerless: list[int],
    ) -> None:
        self.layout = layout
        self.problems = problems
        self.start = start
        self.mode: Literal["elapsed", "clock"] = mode
        self.scenario = scenario
        self.stakeholders = [(s.id, s.name) for s in scenario.stakeholders]
        self.objectives = [(o.id, o.name) for o in scenario.objectives]
        self.facts = [(f.id, f.description) for f in scenario.facts]
        self.headerless = headerless
        self.status_seen = False
        self.taken: set[str] = set()
        """The ids the sheet gives, and those made for rows without one."""
        self.inject_references: list[tuple[int, int, str, str]] = []
        """Triggers naming an inject (row, column, header, id): checked once every row's id is known."""
        self.ids: dict[str, list[str]] = {
            "fact": [f.id for f in scenario.facts],
            "stakeholder": [s.id for s in scenario.stakeholders],
            "site": [s.id for s in scenario.sites],
            "decision": [d.id for d in scenario.decisions],
            "milestone": [m.id for m in scenario.milestones],
            "phase": [p.id for p in scenario.threat.phases] if scenario.threat is not None else [],
        }

    def read(self, cells: list[Cell], position: int, originals: Mapping[str, Mapping[str, object]]) -> Row | None:
        number = cells[0].row
        for cell in cells:
            if cell.formula:
                header = self._header_of(cell.column - 1)
                self.problems.add(number, cell.column, header, _FORMULA, "type its value instead", warn=True)
        identifier = self._id(cells, number, position)
        if identifier is None:
            return None
        original = originals.get(identifier, {})
        data: dict[str, object] = dict(original)
        data["id"] = identifier
        extra: list[str] = []
        ok = True
        for name, (index, header) in self.layout.known.items():
            if name == "id":
                continue
            value = value_at(cells, index)
            try:
                if name == "status":
                    text = cells_in.cell_text(value).strip()
                    if text:
                        extra.append(f"Status: {text}")
                        self.status_seen = True
                    continue
                data[name] = read = self._field(name, value)
                if name == "trigger" and isinstance(read, dict):
                    self._trigger_references(read, number, index, header)
            except (cells_in.CellProblem, TimeError) as exc:
                message = exc.message if isinstance(exc, cells_in.CellProblem) else str(exc)
                self.problems.add(number, index + 1, header, message, exc.hint)
                ok = False
        for index, header in [*self.layout.unknown, *((i, _letter_header(i)) for i in self.headerless)]:
            text = cells_in.cell_text(value_at(cells, index))
            if text.strip():
                extra.append(f"{header}: {text}")
        # A time and a trigger exclude each other: the one the sheet gives replaces the scenario's other one, and
        # either makes a contingency of the scenario's a timed or triggered inject.
        timed = data.get("at") is not None and "at" in self.layout.known
        triggered = data.get("trigger") is not None and "trigger" in self.layout.known
        if timed and "trigger" not in self.layout.known:
            data.pop("trigger", None)
            data.pop("after", None)
        if triggered and "at" not in self.layout.known:
            data.pop("at", None)
        if (timed or triggered) and "contingency" not in self.layout.known:
            data.pop("contingency", None)
        untimed = data.get("at") is None and data.get("trigger") is None
        if "contingency" not in self.layout.known and data.get("inject_type") == "contingency" and untimed:
            data["contingency"] = True
        unused_delay = data.get("after") and data.get("trigger") is None and not data.get("contingency")
        if "after" in self.layout.known and unused_delay:
            index, header = self.layout.known["after"]
            self.problems.add(
                number,
                index + 1,
                header,
                "a delay After applies only to a triggered inject: this one has none, and it is kept unused",
                "give a Trigger, or leave After empty",
                warn=True,
            )
        notes = data.get("notes")
        # A line kept from an earlier import of the same sheet is not added again.
        extra = [line for line in extra if not (isinstance(notes, str) and has_lines(notes, line))]
        if extra:
            data["notes"] = "\n".join([notes, *extra] if isinstance(notes, str) and notes else extra)
        if "to" not in self.layout.known and "to" not in data:
            self._missing(number, "to")
            ok = False
        if "text" not in self.layout.known and "text" not in data:
            self._missing(number, "text")
            ok = False
        if ok and untimed and not data.get("contingency"):
            self._untimed(number)
            ok = False
        return Row(number, identifier, ordered(data, keep=frozenset(original)), ok)

    def _missing(self, number: int, name: str) -> None:
        """A new inject in a sheet without its To or Inject column: said at its row."""
        what = "To" if name == "to" else "Inject"
        self.problems.add(
            number,
            1,
            "",
            f"the inject is not in the scenario, and the sheet has no {what} column to give its "
            f"{'recipient' if name == 'to' else 'text'}",
            accepted_headers(name),
        )

    def _untimed(self, number: int) -> None:
        """An inject with neither a time nor a trigger, said at its row in the sheet's words (so that it comes out
        with the cells' errors, not in a second run)."""
        where = self.layout.known.get("at") or self.layout.known.get("trigger")
        index, header = where if where is not None else (0, "")
        self.problems.add(
            number,
            index + 1,
            header,
            "the inject has neither a time nor a trigger",
            "give a Scenario Time, a Trigger, or Contingency: yes",
        )

    def _trigger_references(self, trigger: dict[str, object], number: int, index: int, header: str) -> None:
        """Each id a trigger names, checked at its cell with a "did you mean"."""
        for key, value in trigger.items():
            if not isinstance(value, str):
                continue
            if key == "inject":
                self.inject_references.append((number, index, header, value))
                continue
            if key == "option":
                decision = next((d for d in self.scenario.decisions if d.id == trigger.get("decision")), None)
                known = [o.id for o in decision.options] if decision is not None else None
            else:
                known = self.ids.get(key)
            if known is None or value in known:
                continue
            close = close_match(value, known)
            if close is not None:
                hint = f"did you mean {close!r}?"
            else:
                hint = f"the scenario's {key} ids: " + (", ".join(known[:12]) or "none")
            self.problems.add(number, index + 1, header, f"{key}: no {key} {value!r}", hint)

    def given_ids(self, table: list[list[Cell]]) -> None:
        """Note the ids the sheet's cells give, which an id made for a row without one never takes."""
        if "id" not in self.layout.known:
            return
        index = self.layout.known["id"][0]
        for cells in table:
            text = cells_in.cell_text(value_at(cells, index)).strip()
            try:
                self.taken.add(cells_in.read_id(text)[0] if text else "")
            except cells_in.CellProblem:
                continue

    def _id(self, cells: list[Cell], number: int, position: int) -> str | None:
        while f"inj-{position:02d}" in self.taken:
            position += 1
        made = f"inj-{position:02d}"
        self.taken.add(made)
        if "id" not in self.layout.known:
            return made
        index, header = self.layout.known["id"]
        text = cells_in.cell_text(value_at(cells, index)).strip()
        if not text:
            self.problems.add(
                number, index + 1, header, f"no id: read as {made!r}", "give each inject an id", warn=True
            )
            return made
        try:
            identifier, warning = cells_in.read_id(text)
        except cells_in.CellProblem as exc:
            self.problems.add(number, index + 1, header, exc.message, exc.hint)
            return None
        if warning is not None:
            self.problems.add(
                number, index + 1, header, warning, "ids are lower-case letters, digits and hyphens", warn=True
            )
        return identifier

    def _field(self, name: str, value: object) -> object:
        if name in _FREE_TEXT:
            text = cells_in.cell_text(value)
            if not text.strip():
                if name == "text":
                    raise cells_in.CellProblem("an inject needs its text", "write what the players read or hear")
                return None
            return text
        if name == "at":
            seconds = parse_time(value, start=self.start, mode=self.mode)
            return None if seconds is None else format_duration(seconds)
        text = cells_in.cell_text(value).strip()
        if name == "inject_type":
            return cells_in.read_inject_type(text)
        if name == "delivery_method":
            return cells_in.read_delivery_method(text)
        if name == "contingency":
            return cells_in.read_contingency(text)
        if name == "after":
            return cells_in.read_after(text) if text else None
        if not text:
            if name == "to":
                raise cells_in.CellProblem("an inject needs its recipient", "write a stakeholder's id or name")
            return None
        if name == "trigger":
            return cells_in.read_trigger(text, self.facts[0][0] if self.facts else "shots-fired")
        if name == "objective":
            return cells_in.read_reference(text, "objective", self.objectives)
        section, what = ("stakeholders", "stakeholder") if name == "to" else ("facts", "fact")
        try:
            return cells_in.read_reference(
                text, what, self.stakeholders if name == "to" else self.facts, recipient=name == "to"
            )
        except cells_in.CellProblem as exc:
            variant = self._variant_adding(section, text)
            if variant is not None:
                exc.hint = (
                    f"added by variant {variant!r}: an MSEL exported with --variant holds the variant's injects; "
                    f"add {text!r} to the scenario's {section} (as the variant's add: does), or leave out the "
                    "variant's rows"
                )
            raise

    def _variant_adding(self, section: str, text: str) -> str | None:
        """The variant that adds the stakeholder or fact a cell names (by id or name), if one does."""
        folded = text.casefold()
        for variant in self.scenario.variants:
            for item in variant.add.get(section, []):  # type: ignore[call-overload]
                names = {str(item.get(key, "")).casefold() for key in ("id", "name", "description")}
                if folded in names:
                    return variant.id
        return None

    def _header_of(self, index: int) -> str:
        for known_index, header in [*self.layout.known.values(), *self.layout.unknown]:
            if known_index == index:
                return header
        return ""

    def column_warnings(self) -> None:
        """One warning per unknown column, per column without a header that has values, and one for a Status
        column with values, at their headers."""
        for index in self.headerless:
            letter = column_letters(index + 1)
            self.problems.add(
                self.layout.row,
                index + 1,
                "",
                f"column {letter} has no header; its cells are kept in notes as 'Column {letter}: ...'",
                "give it a header, or delete its cells",
                warn=True,
            )
        for index, header in self.layout.unknown:
            self.problems.add(
                self.layout.row,
                index + 1,
                header,
                f"not a column Tabletop knows: its cells are kept in each inject's notes as '{header}: ...'",
                "rename it to a known header to import it as that field",
                warn=True,
            )
        if self.status_seen:
            index, header = self.layout.known["status"]
            self.problems.add(
                self.layout.row,
                index + 1,
                header,
                "the status of a delivery is not part of a scenario: kept in the notes as 'Status: ...'",
                warn=True,
            )


def _letter_header(index: int) -> str:
    return f"Column {column_letters(index + 1)}"
