"""`tabletop msel import`: what it prints, what it writes and only when asked, and its refusals."""

from __future__ import annotations

from pathlib import Path

from scenarios import load_scenario
from scenarios.library import bundled_path
from tests.cli import invoke

FIELD = Path(__file__).parent / "scenarios" / "msel" / "data" / "field-msel.csv"
SCENARIO = "synagogue-holiday-attack"


def test_without_out_or_force_nothing_is_written_and_the_changes_are_listed(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_bytes(bundled_path(SCENARIO).read_bytes())
    code, output = invoke("msel", "import", str(FIELD), "--into", str(mine))
    assert code == 0, output
    lines = output.splitlines()
    assert lines[-2] == (
        f"Read 4 injects from {FIELD}: 1 added (inj-05), 1 changed (inj-01), 1 removed (inj-02), 2 unchanged."
    )
    assert lines[-1] == f"Nothing written: add --out NEW.yaml to write a new scenario, or --force to update {mine}."
    assert "warning: Owner (column I): not a column Tabletop knows" in output
    assert mine.read_bytes() == bundled_path(SCENARIO).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_out_writes_a_new_scenario_that_loads_and_refuses_an_existing_one_without_force(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO, "--out", str(new))
    assert code == 0, output
    assert f"Wrote {new}." in output
    assert [inject.id for inject in load_scenario(new).injects] == ["inj-01", "inj-03", "inj-05", "inj-04"]
    before = new.read_bytes()
    new.write_text("mine", encoding="utf-8")
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO, "--out", str(new))
    assert code == 2
    assert new.read_text(encoding="utf-8") == "mine"
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO, "--out", str(new), "--force")
    assert code == 0, output
    assert new.read_bytes() == before


def test_force_updates_the_scenario_file_itself(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_bytes(bundled_path(SCENARIO).read_bytes())
    code, output = invoke("msel", "import", str(FIELD), "--into", str(mine), "--force")
    assert code == 0, output
    assert f"Updated {mine}." in output
    assert "inj-02" not in [inject.id for inject in load_scenario(mine).injects]


def test_a_bundled_scenario_is_read_but_never_changed(tmp_path: Path) -> None:
    before = bundled_path(SCENARIO).read_bytes()
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO, "--force")
    assert code == 2
    assert f"{SCENARIO}:1:1: a bundled scenario cannot be changed; use --out NEW.yaml" in output
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO)
    assert code == 0
    assert output.splitlines()[-1] == "Nothing written: add --out NEW.yaml to write a new scenario."
    assert bundled_path(SCENARIO).read_bytes() == before


def test_a_malformed_sheet_exits_2_with_every_error_located_and_writes_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Inject #,Time,To,Inject\na,25:99,ems,x\nb,+5,nobody,[b]bold[/b]\n", encoding="utf-8")
    new = tmp_path / "new.yaml"
    code, output = invoke("msel", "import", str(sheet), "--into", SCENARIO, "--out", str(new))
    assert code == 2
    assert "MSEL not imported" in output
    assert (
        f"{sheet}:2:2: Time (column B): '25:99' is not a time; write T+HH:MM, +MINUTES, H+2 or a clock time" in output
    )
    assert f"{sheet}:3:3: To (column C): no stakeholder 'nobody';" in output
    assert "Traceback" not in output
    assert not new.exists()


def test_an_unknown_times_mode_is_a_bad_option(tmp_path: Path) -> None:
    code, output = invoke("msel", "import", str(FIELD), "--into", SCENARIO, "--times", "local")
    assert code == 2
    assert "--times: 'local' is not one of auto, elapsed, clock" in output


def test_a_macro_workbook_is_refused(tmp_path: Path) -> None:
    macro = tmp_path / "msel.xlsm"
    macro.write_bytes(b"PK\x03\x04")
    code, output = invoke("msel", "import", str(macro), "--into", SCENARIO)
    assert code == 2
    assert "macros" in output


def test_cells_are_printed_literally_never_as_markup(tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("Inject #,Time,To,Inject,[red]Owner[/red]\nx,+5,ems,y,[bold]me[/bold]\n", encoding="utf-8")
    code, output = invoke("msel", "import", str(sheet), "--into", SCENARIO)
    assert code == 0, output
    assert "[red]Owner[/red] (column E): not a column Tabletop knows" in output


def test_an_exported_workbook_imports_from_its_sheet_and_an_unknown_sheet_is_refused(tmp_path: Path) -> None:
    workbook = tmp_path / "msel.xlsx"
    assert invoke("msel", "export", SCENARIO, "--out", str(workbook))[0] == 0
    code, output = invoke("msel", "import", str(workbook), "--into", SCENARIO, "--sheet", "MSEL")
    assert code == 0, output
    assert f"Read 4 injects from {workbook} (sheet MSEL): 0 added, 0 changed, 0 removed, 4 unchanged." in output
    code, output = invoke("msel", "import", str(workbook), "--into", SCENARIO, "--sheet", "Injects")
    assert code == 2
    assert f"{workbook}:1:1: no worksheet 'Injects'; its worksheets: 'MSEL'" in output


def test_a_sheet_that_would_remove_most_injects_says_so_after_the_summary(tmp_path: Path) -> None:
    sheet = tmp_path / "one.csv"
    sheet.write_text("Inject #,To,Inject\ninj-01,community-security,The service has begun.\n", encoding="utf-8")
    code, output = invoke("msel", "import", str(sheet), "--into", SCENARIO)
    assert code == 0, output
    lines = output.splitlines()
    # the synagogue scenario has four injects: three of them are not in this sheet
    assert lines[-2] == (
        "warning: 3 of the scenario's 4 injects would be removed: the sheet is the whole MSEL, and an inject it "
        "does not have is not kept"
    )


def test_out_must_be_a_yaml_file_in_a_folder_that_exists_checked_before_the_sheet_is_read(tmp_path: Path) -> None:
    missing = tmp_path / "no-such.csv"  # never read: the --out checks come first
    code, output = invoke("msel", "import", str(missing), "--into", SCENARIO, "--out", str(tmp_path / "x.txt"))
    assert code == 2
    assert "is not a scenario file name" in output and "end it in .yaml" in output
    code, output = invoke("msel", "import", str(missing), "--into", SCENARIO, "--out", str(tmp_path / "d" / "x.yml"))
    assert code == 2
    assert "does not exist" in output and "create it first" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == []
