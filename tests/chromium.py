"""The system's headless Chromium for the browser tests (Playwright drives it; it downloads no browser here)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = shutil.which("chromium")
"""Debian's Chromium, or None on a machine without it (the browser tests are then skipped, saying why)."""
NO_CHROMIUM = "no Chromium on this machine (Debian's package `chromium` provides /usr/bin/chromium)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def headless_chromium() -> Iterator[Browser]:
    """Headless Chromium, closed on the way out."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
