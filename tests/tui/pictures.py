"""`python -m tests.tui.pictures`: copy the approved snapshots the facilitators' guide shows into docs/images/."""

from __future__ import annotations

import shutil

from tests.test_docs_running_an_exercise import PICTURES, ROOT, SNAPSHOTS


def main() -> None:
    """Copy each picture of docs/running-an-exercise.md from its snapshot."""
    for picture, snapshot in PICTURES.items():
        shutil.copyfile(SNAPSHOTS / snapshot, ROOT / "docs" / "images" / picture)
        print(f"docs/images/{picture} <- {snapshot}")


if __name__ == "__main__":
    main()
