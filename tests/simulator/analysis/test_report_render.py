"""The report's files: the HTML escapes every text, the Markdown writes it literally, nothing is overwritten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.analysis.report.model import Bullets, Figure, Paragraph, Report, Section, Table
from simulator.analysis.report.render import inline_svg, markdown_text, outputs, render, write_report
from simulator.files import FileRefusedError

HOSTILE = '<script>alert("x")</script> & *bold* | [link](http://example.org)'
SVG = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><text>&lt;script&gt;</text></svg>\n'
)


def report(text: str = HOSTILE) -> Report:
    figure = Figure("timeline", f"Timeline {text}", f"Caption {text}", SVG)
    table = Table(f"Table {text}", ("Name", "Minutes"), ((text, "01:02"), ("b", "03:04")), (False, True))
    section = Section(
        "analysis",
        f"Analysis {text}",
        (Paragraph(f"Paragraph {text}"), Bullets((f"Item {text}",)), table, figure),
        (Section("sub", f"Sub {text}", (Bullets((), f"Empty {text}"), Table("Nothing", ("a",), (), empty="none"))),),
    )
    return Report(f"Title {text}", f"Subtitle {text}", "run", "EXERCISE", (section,), "Tabletop 0")


def test_the_html_report_shows_scenario_text_as_text_never_as_markup() -> None:
    html = render(report(), "html")
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; *bold*") >= 8
    assert '<a href="http' not in html


def test_the_html_report_is_one_offline_file_with_its_plots_inline() -> None:
    html = render(report("plain"), "html")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert "default-src 'none'" in html  # a content security policy: nothing is fetched, no script runs
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert '<section class="section" id="analysis">' in html
    assert '<section class="subsection" id="analysis-sub">' in html
    assert '<td class="num">01:02</td>' in html


def test_the_print_stylesheet_starts_each_section_on_a_new_page() -> None:
    html = render(report("plain"), "html")
    assert "@media print" in html and "section.section { break-before: page; }" in html
    assert "@page { size: A4;" in html


def test_markdown_escapes_every_character_that_could_start_markup() -> None:
    assert markdown_text("<script>") == r"\<script\>"
    assert markdown_text("a | b") == r"a \| b"
    assert markdown_text("*x* _y_ `z` [l](u) ![i](u) &amp; #h ~s~") == (
        r"\*x\* \_y\_ \`z\` \[l\](u) \!\[i\](u) \&amp; \#h \~s\~"
    )
    assert markdown_text("- not a bullet") == r"\- not a bullet"
    assert markdown_text("1. not a list") == r"1\. not a list"
    assert markdown_text("two\nlines") == "two lines"


def test_the_markdown_report_links_its_plots_beside_it_and_aligns_numbers() -> None:
    text = render(report("plain"), "md", "out-")
    assert "![Timeline plain](out-timeline.svg)" in text
    assert "| Name | Minutes |\n| --- | ---: |\n| plain | 01:02 |\n| b | 03:04 |\n" in text
    assert "## Analysis plain\n" in text and "### Sub plain\n" in text
    assert "*Empty plain*" in text and "*none*" in text


def test_the_markdown_report_writes_hostile_text_literally() -> None:
    text = render(report(), "md", "out-")
    assert HOSTILE not in text
    escaped = r"\<script\>alert(\"x\")\</script\> \& \*bold\* \| \[link\](http://example.org)".replace('\\"', '"')
    assert markdown_text(HOSTILE) == escaped
    # The title, the subtitle, two headings, a paragraph, a bullet, a caption, a cell, a figure's alt text, its
    # title and its caption, an empty list's text.
    assert text.count(escaped) == 12


def test_the_markdown_report_comes_with_one_svg_file_per_plot(tmp_path: Path) -> None:
    files = outputs(report("plain"), "md", tmp_path / "aar.md")
    assert list(files) == [tmp_path / "aar.md", tmp_path / "aar-timeline.svg"]
    assert files[tmp_path / "aar-timeline.svg"] == SVG.encode()


def test_an_existing_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "aar-timeline.svg").write_text("mine")
    with pytest.raises(FileRefusedError, match="refusing to overwrite"):
        write_report(report("plain"), "md", tmp_path / "aar.md")
    assert not (tmp_path / "aar.md").exists()
    assert (tmp_path / "aar-timeline.svg").read_text() == "mine"
    written = write_report(report("plain"), "md", tmp_path / "aar.md", replace=True)
    assert written == [tmp_path / "aar.md", tmp_path / "aar-timeline.svg"]
    assert (tmp_path / "aar-timeline.svg").read_text() == SVG


def test_an_svg_holding_a_script_is_never_placed_in_the_page() -> None:
    with pytest.raises(ValueError, match="not a plot"):
        inline_svg("<svg><script>alert(1)</script></svg>")
    with pytest.raises(ValueError, match="not a plot"):
        inline_svg('<svg onload="alert(1)"></svg>')
    assert str(inline_svg(SVG)).startswith("<svg xmlns")


def test_a_plot_whose_text_reads_like_an_event_handler_is_placed_in_the_page() -> None:
    # matplotlib escapes a name like `<img onerror="...">` in the text it draws: it is text, not an attribute.
    plot = '<svg xmlns="http://www.w3.org/2000/svg"><text>Guard &lt;img src=x onerror="x()"&gt;</text></svg>'
    assert str(inline_svg(plot)) == plot
