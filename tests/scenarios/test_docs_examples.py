"""The examples of the scenario author's guide: complete scenarios validate, fragments are well-formed YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scenarios import check_scenario

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "writing-scenarios.md"


def _blocks(tag: str) -> list[str]:
    """The text of every fenced block opened with ```yaml TAG in the guide (none when the guide is missing)."""
    if not GUIDE.is_file():
        return []
    fence = re.compile(rf"^```yaml {tag}[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
    return fence.findall(GUIDE.read_text(encoding="utf-8"))


SCENARIOS = _blocks("scenario")
SNIPPETS = _blocks("snippet")


def test_the_guide_holds_at_least_one_complete_scenario() -> None:
    assert len(SCENARIOS) >= 1


@pytest.mark.parametrize("index", range(len(SCENARIOS)))
def test_a_complete_scenario_in_the_guide_validates(index: int, tmp_path: Path) -> None:
    path = tmp_path / f"example-{index}.yaml"
    path.write_text(SCENARIOS[index], encoding="utf-8")

    result = check_scenario(path)

    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    assert result.scenario is not None


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_a_snippet_in_the_guide_is_well_formed_yaml(index: int) -> None:
    YAML(typ="safe", pure=True).load(SNIPPETS[index])
