"""A `Report` as a single HTML file (its plots inline) or as Markdown with its plots written beside it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup

from simulator.analysis.report.model import Bullets, Figure, Paragraph, Report, Table
from simulator.files import refuse_existing, write_file

Format = Literal["html", "md"]
"""The report's formats."""
TEMPLATES = Path(__file__).parent / "templates"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&#!])")
"""Characters that can start Markdown markup (or an HTML tag or entity) anywhere in a line."""
_BULLET_START = re.compile(r"^(\s*)([-+=])")
"""What makes a line a list item (or a heading's underline) when it starts a paragraph, a bullet or a cell."""
_NUMBER_START = re.compile(r"^(\s*\d+)([.)])")
"""What makes a line an item of a numbered list."""


def render(report: Report, fmt: Format, figure_name: str = "") -> str:
    """The report as HTML (one document, plots inline) or Markdown (plots linked as `<figure_name><id>.svg`)."""
    if fmt == "html":
        return _environment(autoescape=True).get_template("report.html.j2").render(report=report)
    return _environment(autoescape=False).get_template("report.md.j2").render(report=report, figures=figure_name)


def outputs(report: Report, fmt: Format, out: Path) -> dict[Path, bytes]:
    """Each file the report is written to, with its bytes: the HTML file; or the Markdown file and, beside it, one
    SVG file per plot named `<stem>-<figure id>.svg`."""
    if fmt == "html":
        return {out: render(report, "html").encode()}
    prefix = f"{out.stem}-"
    files = {out: render(report, "md", prefix).encode()}
    for figure in report.figures():
        files[out.with_name(f"{prefix}{figure.id}.svg")] = figure.svg.encode()
    return files


def write_report(report: Report, fmt: Format, out: Path, *, replace: bool = False) -> list[Path]:
    """Write the report's files (see `outputs`), each whole; without `replace`, an existing one is refused before
    anything is written.

    Raises:
        FileRefusedError: a file exists (without `replace`) or is a symbolic link.
        OSError: a file cannot be written.
    """
    files = outputs(report, fmt, out)
    for path in files:
        refuse_existing(path, replace=replace)
    for path, data in files.items():
        write_file(path, data, replace=replace)
    return list(files)


@cache
def _environment(*, autoescape: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.tests.update(
        paragraph=lambda block: isinstance(block, Paragraph),
        bullets=lambda block: isinstance(block, Bullets),
        table=lambda block: isinstance(block, Table),
        figure=lambda block: isinstance(block, Figure),
    )
    environment.filters.update(md=markdown_text, cell=markdown_cell, svg=inline_svg)
    return environment


def markdown_text(text: object) -> str:
    """Plain text as Markdown that reads as that text: markup characters escaped, one line (a table cell, a bullet
    and a paragraph are each one line)."""
    line = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    return _NUMBER_START.sub(r"\1\\\2", _BULLET_START.sub(r"\1\\\2", escaped))


def markdown_cell(text: object) -> str:
    """Plain text as a Markdown table cell: like `markdown_text`, but a cell never starts a line, so a leading `-`
    or `1.` stays as it is (`-01:02`, not `\\-01:02`)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def inline_svg(svg: str) -> Markup:
    """A plot's SVG document as an element to place in HTML: without its XML declaration and doctype.

    The SVG is ours (matplotlib's output, which escapes every text it draws), never user markup; one that holds a
    script is a bug, refused.
    """
    start = svg.find("<svg")
    # Inside tags only: a plot's text may read `onerror="..."` (escaped, it is text), which is no attribute.
    if start < 0 or re.search(r"<\s*script|<[^>]*\son\w+\s*=", svg, re.IGNORECASE):
        raise ValueError("not a plot's SVG")
    return Markup(svg[start:])  # our own SVG, checked above
