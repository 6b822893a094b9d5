"""Importing an MSEL, as found by the second review: a sheet imported again, overnight times, short sheets, and
messages that say exactly what and where."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.errors import ScenarioError
from scenarios.library import bundled_path
from scenarios.msel.importer import import_msel
from scenarios.msel.read import Sheet, read_sheet

DATA = Path(__file__).parent / "data"
SCENARIO = "synagogue-holiday-attack"  # T0 is 2026-09-21 11:50, the run lasts 2h; inj-04 is a contingency


def csv_sheet(tmp_path: Path, text: str, name: str = "m.csv") -> Sheet:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_sheet(path, name)


def problems(sheet: Sheet, into: str | Path = SCENARIO) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        import_msel(sheet, into)
    return [d.format() for d in raised.value.diagnostics]


def test_importing_the_same_sheet_again_adds_no_note_twice_and_changes_nothing(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject,Owner,Status\ninj-01,T+0,crisis-cell,a,Anna,sent\n")
    first = tmp_path / "v1.yaml"
    first.write_text(import_msel(sheet, SCENARIO).text, encoding="utf-8")
    again = import_msel(sheet, first)
    assert (again.changed, again.unchanged) == ([], ["inj-01"])
    assert again.scenario.injects[0].notes == "Status: sent\nOwner: Anna"  # the known Status column's first


def test_an_overnight_sheet_of_bare_times_is_read_as_clock_times_from_t0(tmp_path: Path) -> None:
    night = tmp_path / "night.yaml"
    text = bundled_path(SCENARIO).read_text(encoding="utf-8")
    night.write_text(text.replace('start: "2026-09-21T11:50:00"', 'start: "2026-09-21T23:30:00"'), encoding="utf-8")
    sheet = csv_sheet(
        tmp_path,
        "Inject #,Scenario Time,To,Inject\ninj-01,23:30,crisis-cell,a\ninj-02,23:45,crisis-cell,b\n"
        "inj-03,00:15,crisis-cell,c\n",
    )
    imported = import_msel(sheet, night)
    assert [inject.at for inject in imported.scenario.injects] == [0.0, 15 * 60.0, 45 * 60.0]
    assert "bare times are read as clock times on 2026-09-21 (T0 is 23:30" in imported.warnings[0].message


def test_a_time_makes_a_contingency_of_the_scenario_a_timed_inject_and_an_unused_delay_is_warned(
    tmp_path: Path,
) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject,Trigger,After\ninj-04,T+5,crisis-cell,d,,5m\n")
    imported = import_msel(sheet, SCENARIO)
    inject = imported.scenario.injects[0]
    assert (inject.at, inject.contingency) == (300.0, False)
    assert [w.format() for w in imported.warnings if w.file == "m.csv"] == [
        "m.csv:2:6: warning: After (column F): a delay After applies only to a triggered inject: this one has none, "
        "and it is kept unused; give a Trigger, or leave After empty"
    ]


def test_a_short_sheet_of_known_ids_needs_no_to_column() -> None:
    imported = import_msel(read_sheet(DATA / "short.csv", "short.csv"), SCENARIO)
    assert imported.changed == ["inj-01", "inj-02"]
    first, second = imported.scenario.injects[:2]
    assert (first.text, first.to, second.at, second.to) == ("Changed text", "community-security", 600.0, "crisis-cell")


def test_a_metadata_row_above_the_header_is_skipped_for_the_row_with_more_known_headers(tmp_path: Path) -> None:
    # row 1 has two known headers (Phase:, Time:), row 3 has four
    sheet = csv_sheet(
        tmp_path,
        "Exercise:,Synagogue,Phase:,Draft,Time:,11:50\n\nInject #,Scenario Time,To,Inject\n"
        "inj-01,T+0,community-security,a\n",
    )
    assert [inject.text for inject in import_msel(sheet, SCENARIO).scenario.injects] == ["a"]


def test_a_made_up_id_never_takes_one_the_sheet_gives_another_row(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject\n,T+1,crisis-cell,a\ninj-01,T+2,crisis-cell,b\n")
    imported = import_msel(sheet, SCENARIO)
    assert [inject.id for inject in imported.scenario.injects] == ["inj-02", "inj-01"]


def test_an_unclosed_quote_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text('Inject #,To,Inject,Time\ninj-01,crisis-cell,"unterminated,T+1\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_sheet(path, "u.csv")
    assert (
        raised.value.diagnostics[0]
        .format()
        .startswith("u.csv:2:3: an opening quote is never closed; everything after it was read as one cell")
    )


def test_several_recipients_in_one_cell_are_one_recipient_per_row_naming_the_unknown_ones(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject\ninj-01,T+1,police; ambulance,a\n")
    assert problems(sheet) == [
        "m.csv:2:3: To (column C): 'police; ambulance' names 2 recipients; one recipient per row: copy the row for "
        "each; not a stakeholder: 'police', 'ambulance'"
    ]


def test_messages_have_one_clause_one_colon_and_the_cell_as_typed(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "seq. no:,TIME,To,Inject,After\nInject 3,2026-09-21 11:00,crisis-cell,a,xx\n")
    assert problems(sheet) == [
        "m.csv:2:1: warning: seq. no (column A): 'Inject 3' is not an id: read as 'inject-3'; ids are lower-case "
        "letters, digits and hyphens",
        "m.csv:2:2: TIME (column B): '2026-09-21 11:00' is before T0 (2026-09-21 11:50:00); an inject is delivered "
        "at T0 or later",
        "m.csv:2:5: After (column E): 'xx' is not a duration; write a duration like 30s, or "
        "{dist: uniform, low: 30s, high: 2m}",
    ]


def test_german_and_french_delivery_methods_are_read(tmp_path: Path) -> None:
    methods = ["Telefon", "Funk", "E-Mail", "persönlich", "Papier", "téléphone", "radio", "courriel", "en personne"]
    rows = "".join(f"i{n},+{n},crisis-cell,x,{method}\n" for n, method in enumerate(methods, 1))
    imported = import_msel(csv_sheet(tmp_path, "Inject #,Time,To,Inject,Method\n" + rows), SCENARIO)
    assert [inject.delivery_method for inject in imported.scenario.injects] == [
        "phone", "radio", "email", "verbal", "handout", "phone", "radio", "email", "verbal"
    ]  # fmt: skip


def test_a_trigger_makes_a_contingency_of_the_scenario_a_triggered_inject(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,To,Inject,Trigger\ninj-04,crisis-cell,d,press-request\n")
    inject = import_msel(sheet, SCENARIO).scenario.injects[0]
    assert (inject.trigger is not None, inject.contingency) == (True, False)
