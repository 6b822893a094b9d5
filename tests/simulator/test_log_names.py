"""Default run-log names: the time the run started to the minute, then the scenario, never an existing file."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from simulator.runlog import default_log_name, unused_log_path

WHEN = datetime.datetime(2026, 12, 1, 10, 30, 59)
SYNAGOGUE = "synagogue-holiday-attack"


def test_a_log_is_named_by_its_date_and_local_time_to_the_minute_then_its_scenario() -> None:
    assert default_log_name(SYNAGOGUE, WHEN) == "2026-12-01-1030-synagogue-holiday-attack.jsonl"
    assert default_log_name("demo", datetime.datetime(2027, 1, 9, 7, 5)) == "2027-01-09-0705-demo.jsonl"


def test_an_aware_time_is_written_in_its_own_time_zone() -> None:
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    when = datetime.datetime(2026, 12, 1, 23, 45, tzinfo=berlin)

    assert default_log_name("demo", when) == "2026-12-01-2345-demo.jsonl"


@pytest.mark.parametrize("scenario_id", ["", "../demo", "a/b", "a\\b", ".hidden"])
def test_a_scenario_id_that_is_not_a_plain_name_is_refused(scenario_id: str) -> None:
    with pytest.raises(ValueError, match="a log is named after a scenario's id"):
        default_log_name(scenario_id, WHEN)


def test_an_unused_log_path_is_the_default_name_in_an_empty_folder(tmp_path: Path) -> None:
    assert unused_log_path(tmp_path, SYNAGOGUE, WHEN) == tmp_path / "2026-12-01-1030-synagogue-holiday-attack.jsonl"


def test_runs_started_in_the_same_minute_get_numbered_logs_and_never_an_existing_file(tmp_path: Path) -> None:
    taken = []
    for _ in range(4):
        path = unused_log_path(tmp_path, SYNAGOGUE, WHEN)
        assert not path.exists()
        path.write_text("{}\n", encoding="utf-8")
        taken.append(path.name)

    assert taken == [
        "2026-12-01-1030-synagogue-holiday-attack.jsonl",
        "2026-12-01-1030-synagogue-holiday-attack-2.jsonl",
        "2026-12-01-1030-synagogue-holiday-attack-3.jsonl",
        "2026-12-01-1030-synagogue-holiday-attack-4.jsonl",
    ]


def test_a_gap_in_the_numbers_is_filled_and_a_dangling_link_counts_as_taken(tmp_path: Path) -> None:
    (tmp_path / "2026-12-01-1030-demo.jsonl").touch()
    (tmp_path / "2026-12-01-1030-demo-2.jsonl").symlink_to(tmp_path / "nowhere")
    (tmp_path / "2026-12-01-1030-demo-4.jsonl").touch()

    assert unused_log_path(tmp_path, "demo", WHEN) == tmp_path / "2026-12-01-1030-demo-3.jsonl"
