"""`tabletop msel export`: the suffix picks CSV or XLSX, `--variant` exports the variant's injects, and nothing is
written over a file without --force nor under a name that is not a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.cli import invoke


def csv_ids(path: Path) -> list[str]:
    """The Inject # column of a written CSV, header first."""
    return [row[0] for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))]


def test_a_csv_export_writes_a_row_per_inject_and_says_how_many(tmp_path: Path) -> None:
    out = tmp_path / "msel.csv"
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(out))
    assert code == 0, output
    assert f"Wrote 4 injects to {out}." in " ".join(output.split())
    assert csv_ids(out) == ["Inject #", "inj-01", "inj-02", "inj-03", "inj-04"]


def test_an_xlsx_export_is_a_workbook_with_an_msel_sheet(tmp_path: Path) -> None:
    out = tmp_path / "msel.xlsx"
    code, output = invoke("msel", "export", "halle-2019-reconstruction", "-o", str(out))
    assert code == 0, output
    sheet = openpyxl.load_workbook(out)["MSEL"]
    assert [cell.value for cell in sheet["A"]] == ["Inject #", "inj-01", "inj-02", "inj-03", "inj-04", "inj-05"]
    assert sheet["C2"].value == "T+00:00:00"


def test_a_variant_exports_the_injects_it_adds(tmp_path: Path) -> None:
    plain, armed = tmp_path / "plain.csv", tmp_path / "armed.csv"
    assert invoke("msel", "export", "halle-2019-reconstruction", "--out", str(plain))[0] == 0
    code, output = invoke("msel", "export", "halle-2019-reconstruction", "--variant", "armed-post", "--out", str(armed))
    assert code == 0, output
    added = sorted(set(csv_ids(armed)) - set(csv_ids(plain)))
    assert added == ["inj-guard-post", "inj-guard-sees-attack"]  # the variant's `add: injects:` in the file
    assert set(csv_ids(plain)) <= set(csv_ids(armed))


def test_an_unknown_variant_is_a_bad_option(tmp_path: Path) -> None:
    out = tmp_path / "msel.csv"
    code, output = invoke("msel", "export", "halle-2019-reconstruction", "--variant", "armed-pst", "--out", str(out))
    assert code == 2
    assert "--variant" in output and "armed-post" in output
    assert not out.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(tmp_path: Path) -> None:
    for name in ("msel.ods", "msel.xlsm", "msel"):
        out = tmp_path / name
        code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(out))
        assert code == 2, name
        assert ".csv or .xlsx" in " ".join(output.split())
        assert not out.exists()


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "msel.csv"
    out.write_text("my own notes\n", encoding="utf-8")
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(out))
    assert code == 2
    assert "--force" in output
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(out), "--force")
    assert code == 0, output
    assert csv_ids(out)[0] == "Inject #"


def test_a_scenario_that_does_not_load_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 2\nid: Not A Slug\n", encoding="utf-8")
    out = tmp_path / "msel.csv"
    code, output = invoke("msel", "export", str(bad), "--out", str(out))
    assert code == 2
    assert "bad.yaml:" in output
    assert not out.exists()


def test_an_inject_text_too_long_for_xlsx_is_refused_with_its_inject_and_column(tmp_path: Path) -> None:
    from scenarios import bundled_path

    text = bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8")
    marker = "text: A journalist calls"
    assert marker in text
    source = tmp_path / "long.yaml"
    source.write_text(text.replace(marker, "text: " + "x" * 40_000 + " A journalist calls", 1), encoding="utf-8")
    out = tmp_path / "msel.xlsx"
    code, output = invoke("msel", "export", str(source), "--out", str(out))
    assert code == 2
    flat = " ".join(output.split())
    assert "inj-02 (Inject)" in flat and ".csv" in flat
    assert not out.exists()
    assert invoke("msel", "export", str(source), "--out", str(tmp_path / "msel.csv"))[0] == 0


def test_a_file_without_a_suffix_is_named_so(tmp_path: Path) -> None:
    code, output = invoke("msel", "export", "synagogue-holiday-attack", "--out", str(tmp_path / "msel"))
    assert code == 2
    assert "a file without a suffix is not a spreadsheet Tabletop writes" in output
