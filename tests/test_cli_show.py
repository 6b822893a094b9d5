"""`tabletop show`: everything a facilitator needs before an exercise, the ids `tabletop run --decide` takes among
them, readable at 100 columns, the author's text shown as written, and the same content as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tabletop_cli.main import app
from tests.cli import invoke
from tests.markup_scenario import GUARD, OBJECTIVE, TITLE, scenario_text

DECISIONS = {
    "lockdown-or-evacuate": (["lock-down", "evacuate", "observe"], "lock-down"),
    "patrols-in-or-wait": (["send-in", "wait-for-armed"], "send-in"),
    "warn-other-sites": (["warn-now", "wait-for-confirmation"], "wait-for-confirmation"),
}
"""The synagogue scenario's decisions, their options and defaults, as its file writes them."""


def show(*arguments: str, columns: int = 100) -> str:
    """The output of `tabletop show ARGUMENTS` on a terminal `columns` wide; it must succeed."""
    result = CliRunner().invoke(app, ["show", *arguments], env={"COLUMNS": str(columns)})
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0, result.output
    return result.stdout


def cells(output: str) -> list[list[str]]:
    """The cells of every table line of `output`, stripped."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines() if line.count("│") > 2]


def test_every_decision_and_option_id_that_run_decide_takes_is_shown_with_the_default_marked() -> None:
    output = show("synagogue-holiday-attack")
    rows = cells(output)
    firsts = [row[0] for row in rows]
    for decision, (options, default) in DECISIONS.items():
        assert f"  {decision}  " in output
        for option in options:
            assert option in firsts, option
        below_default = rows[firsts.index(default) + 1][0]
        assert below_default == "(default)", decision
        marked = [option for option in options if rows[firsts.index(option) + 1][0] == "(default)"]
        assert marked == [default], decision
    assert "tabletop run synagogue-holiday-attack --decide lockdown-or-evacuate=lock-down" in output


def test_the_ids_shown_are_the_ones_a_run_accepts() -> None:
    code, output = invoke("run", "synagogue-holiday-attack", "--decide", "warn-other-sites=warn-now")
    assert code == 0, output


def test_what_each_option_does_is_said_in_words_with_names() -> None:
    text = " ".join(show("synagogue-holiday-attack", columns=200).split())
    assert "lock down Synagogue, Humboldtstrasse" in text
    assert "evacuate Synagogue, Humboldtstrasse" in text
    assert "after 15m, tell Umbrella community organisation" in text
    assert "Decided by City crisis cell (crisis-cell), role: Head of the city crisis cell" in text


def test_the_msel_objectives_with_their_limits_and_variants_are_shown() -> None:
    output = show("synagogue-holiday-attack", columns=200)
    firsts = [row[0] for row in cells(output)]
    assert {"inj-01", "inj-02", "inj-03", "inj-04"} <= set(firsts)
    assert "T0: Monday 21 September 2026, 11:50:00 (Europe/Berlin, UTC+02:00)" in output
    assert [row[1] for row in cells(output) if row[0] == "inj-02"] == ["15m after 'The police control room"]
    injects = json.loads(show("synagogue-holiday-attack", "--json"))["injects"]
    assert injects[1]["when"] == "15m after 'The police control room learns of the attack' was reached"
    for objective in ("alert-police-fast", "protect-the-congregation", "warn-other-sites", "inform-national-level"):
        assert objective in firsts
    assert "P ≤ 03:00, S ≤ 05:00, M ≤ 10:00" in output  # alert-police-fast: 3m, 5m, 10m in the file
    assert {"direct-radio", "holiday-armed-post", "no-lockdown-drill"} <= set(firsts)
    assert "Variant: none" in output


def test_no_line_is_wider_than_a_100_column_terminal() -> None:
    for name in ("synagogue-holiday-attack", "multi-site-cascade"):
        lines = show(name).splitlines()
        assert max(len(line.rstrip()) for line in lines) <= 100, name


def test_a_variant_is_shown_applied_and_marked() -> None:
    firsts = [row[0] for row in cells(show("halle-2019-reconstruction", "--variant", "armed-post", columns=200))]
    assert "inj-guard-post" in firsts
    assert firsts[firsts.index("armed-post") + 1] == "(shown)"
    assert "inj-guard-post" not in [row[0] for row in cells(show("halle-2019-reconstruction", columns=200))]


def test_an_unknown_variant_is_a_bad_option() -> None:
    code, output = invoke("show", "synagogue-holiday-attack", "--variant", "direct-radi")
    assert code == 2
    assert "--variant" in output and "direct-radio" in output


def test_the_author_s_text_is_shown_as_written_never_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "literal.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    output = show(str(path), columns=240)
    assert output.splitlines()[0] == f"{TITLE}  (literal)"
    for text in (GUARD, "Doors [/] :100:", "Go in? [/] :100:", "Wait [/]", OBJECTIVE, "A slow [/] line :100:"):
        assert text in output, text
    assert "💯" not in output


def test_json_holds_the_same_ids_and_parses() -> None:
    data = json.loads(show("synagogue-holiday-attack", "--json"))
    decisions = {d["id"]: ([o["id"] for o in d["options"]], d["default"]) for d in data["decisions"]}
    assert decisions == DECISIONS
    assert [i["id"] for i in data["injects"]] == ["inj-01", "inj-02", "inj-03", "inj-04"]
    assert [v["id"] for v in data["variants"]] == ["direct-radio", "holiday-armed-post", "no-lockdown-drill"]
    alert = next(o for o in data["objectives"] if o["id"] == "alert-police-fast")
    assert (alert["performed_s"], alert["some_challenges_s"], alert["major_challenges_s"]) == (180, 300, 600)


def test_at_80_columns_no_time_id_or_inject_type_is_broken_across_lines() -> None:
    import re

    output = show("synagogue-holiday-attack", columns=80)
    # Every time shown whole (T+HH:MM:SS), and the inject types and facts in one piece.
    assert re.findall(r"T\+[\d:]*", output) and all(
        re.fullmatch(r"T\+\d\d:\d\d:\d\d", t) for t in re.findall(r"T\+[\d:]*", output)
    )
    for word in ("informational", "contingency", "second-attack-rumour", "attack-at-synagogue", "inj-04"):
        assert word in output, word
