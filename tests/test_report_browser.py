"""The HTML report in a real browser (headless Chromium): it shows without an error, offline, its plots drawn, each
section pictured, printable page by page; the scenario's markup is shown as text, never run."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scenarios import load_scenario
from simulator.analysis.report import build_report, write_report
from simulator.exercise import Exercise
from tests.chromium import CHROMIUM, NO_CHROMIUM, headless_chromium
from tests.cli import invoke
from tests.report_scenario import HOSTILE, OBSERVATION, TEXTS, scenario_text

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREEN = {"width": 1280, "height": 900}
PRINTED = {"width": 688, "height": 1000}
"""An A4 page's width inside the report's print margins (210 mm - 2 x 14 mm = 182 mm), in CSS pixels (96 per inch)."""
SCREENSHOT_FOR_DOCS = "TABLETOP_DOCS_SCREENSHOT"
"""Set this variable to 1 to have the test write the pictures of docs/after-action-reports.md."""
DOCS_PICTURES = {("synagogue", "summary")}
"""The sections pictured in the docs (docs/images/report-<report>-<section>.png)."""
DOCS_IMAGES = Path(__file__).parents[1] / "docs" / "images"
OBSERVED_AT_S = 120.0
"""When the evaluator notes the observation, in simulation seconds (the attack starts at T0)."""


pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """What the reports are made of, by report: a run of the hostile scenario (with an evaluator's observation), a
    batch of it with its two variants, and a run of the bundled synagogue scenario."""
    folder = tmp_path_factory.mktemp("reports")
    scenario = folder / "hostile.yaml"
    scenario.write_text(scenario_text(), encoding="utf-8")
    hostile_log = folder / "hostile.jsonl"
    exercise = Exercise(load_scenario(scenario), 0, log=hostile_log, source=str(scenario))
    exercise.advance_to(OBSERVED_AT_S)
    note = {"command": "observe", "seat": "evaluator", "text": OBSERVATION, "objective": "alert"}
    assert exercise.apply(note), exercise.take_refusals()
    exercise.run()
    synagogue_log = folder / "synagogue.jsonl"
    code, output = invoke("run", "synagogue-holiday-attack", "--seed", "3", "--log", str(synagogue_log))
    assert code == 0, output
    batch = folder / "batch"
    arguments = ("batch", str(scenario), "-n", "4", "--variants", "all", "--workers", "1", "--out", str(batch))
    code, output = invoke(*arguments)
    assert code == 0, output
    return {"run": hostile_log, "batch": batch, "synagogue": synagogue_log}


@cache
def html_report(source: Path) -> Path:
    """The HTML report of `source` (a log or a batch folder), written once beside it."""
    out = source.with_name(f"{source.stem}.report.html")
    write_report(build_report(source), "html", out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium, the system's own (Playwright downloads no browser here)."""
    with headless_chromium() as chromium:
        yield chromium


@dataclass
class Shown:
    """A report opened in a browser tab: every error its page reported, and every request it made."""

    page: Page
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def shown(request: pytest.FixtureRequest, sources: dict[str, Path], browser: Browser) -> Iterator[Shown]:
    """The report named by the test's `name` parameter opened from its file, as a reader would (no server)."""
    path = html_report(sources[request.node.callspec.params["name"]])
    page = browser.new_page(viewport=SCREEN)  # type: ignore[arg-type]
    tab = Shown(page, path.as_uri())
    page.on("console", lambda message: tab.errors.extend([message.text] if message.type == "error" else []))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("request", lambda request: tab.requests.append(request.url))
    page.goto(tab.url, wait_until="load")
    try:
        yield tab
    finally:
        page.close()


@pytest.mark.parametrize("name", ["run"])
def test_scenario_markup_in_a_run_report_is_shown_as_text_and_never_run(name: str, shown: Shown) -> None:
    page = shown.page
    text = page.inner_text("body")
    observations = page.inner_text("#observations")

    assert shown.errors == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert shown.requests == [shown.url], "the image's `src=x` was never asked for"
    for hostile in TEXTS:  # the title, summary, names of organisations, fact, milestone and objective, as written
        assert hostile in text
    assert all(piece in text for piece in HOSTILE)
    assert OBSERVATION in observations and "T+00:02:00" in observations  # noted at 120 s


@pytest.mark.parametrize(("name", "plots"), [("run", 2), ("batch", 3), ("synagogue", 2)])
def test_each_section_of_the_report_is_drawn_offline_without_an_error_and_pictured(
    name: str, plots: int, shown: Shown, tmp_path: Path
) -> None:
    page = shown.page
    contents = page.eval_on_selector_all("nav a", "links => links.map(a => a.getAttribute('href'))")
    sections = page.locator("section.section")
    ids = [str(sections.nth(i).get_attribute("id")) for i in range(sections.count())]
    figures = page.locator("figure svg")
    boxes = [figures.nth(i).bounding_box() for i in range(figures.count())]
    pictures = {"header": _picture(page, "body > header", tmp_path / f"{name}-header.png")}
    for section in ids:
        pictures[section] = _picture(page, f"section.section#{section}", tmp_path / f"{name}-{section}.png")

    assert shown.errors == []
    assert shown.requests == [shown.url], "a report is read offline: it asks for nothing but itself"
    assert contents == [f"#{section}" for section in ids] and len(ids) >= 6
    assert len(boxes) == plots
    assert all(box is not None and box["width"] > 100 and box["height"] > 100 for box in boxes), boxes
    for picture, size in pictures.values():
        _is_a_picture_of_text(picture, size)
    if os.environ.get(SCREENSHOT_FOR_DOCS) == "1":
        for section, (picture, _) in pictures.items():
            if (name, section) in DOCS_PICTURES:
                shutil.copyfile(picture, DOCS_IMAGES / f"report-{name}-{section}.png")


@pytest.mark.parametrize("name", ["synagogue", "batch"])
def test_the_printed_report_starts_each_section_on_a_page_of_its_own(name: str, shown: Shown, tmp_path: Path) -> None:
    page = shown.page
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(
        "section.section", "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    after_contents = page.eval_on_selector("nav", "nav => getComputedStyle(nav).breakAfter")
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=pdf, format="A4", prefer_css_page_size=True)

    assert shown.errors == []
    assert len(breaks) >= 6 and breaks == ["page"] * len(breaks) and after_contents == "page"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages >= len(breaks) + 1, "the title and contents on a page, then each section from a new page"


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("run", "screen"),
        ("batch", "screen"),
        ("synagogue", "screen"),
        ("run", "print"),
        ("batch", "print"),
        ("synagogue", "print"),
    ],
)
def test_no_table_or_plot_is_wider_than_the_page(name: str, media: str, shown: Shown) -> None:
    page = shown.page
    if media == "print":
        page.emulate_media(media="print")
        page.set_viewport_size(PRINTED)  # type: ignore[arg-type]
    too_wide = page.evaluate(
        """() => {
            const right = document.querySelector('main').getBoundingClientRect().right;
            return [...document.querySelectorAll('main table, main figure, main p, main li')]
                .filter(element => element.getBoundingClientRect().right > right + 1)
                .map(element => element.closest('section.section').id + ': ' + element.textContent.slice(0, 60));
        }"""
    )

    assert too_wide == []


def _picture(page: Page, selector: str, path: Path) -> tuple[Path, tuple[int, int]]:
    """A screenshot of the element `selector` written to `path`, with the element's size in CSS pixels."""
    element = page.locator(selector)
    box = element.bounding_box()
    assert box is not None, f"{selector} is not shown"
    element.screenshot(path=path)
    return path, (round(box["width"]), round(box["height"]))


def _is_a_picture_of_text(path: Path, size: tuple[int, int]) -> None:
    """A PNG of the element's size showing text: many colours (anti-aliased glyphs) on the white page."""
    from PIL import Image

    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert abs(picture.size[0] - size[0]) <= 2 and abs(picture.size[1] - size[1]) <= 2, (
            picture.size,
            size,
        )  # whole pixels
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        area = picture.size[0] * picture.size[1]
    assert colours is not None and len(colours) > 10, f"{path.name} is blank"
    most, commonest = max(colours)
    assert commonest == (255, 255, 255) and most < area, path.name
