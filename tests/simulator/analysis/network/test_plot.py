"""The network drawing: deterministic bytes, names as text, cut-offs and what-ifs marked, from hand-built analyses."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import Scenario
from simulator.analysis.network.model import Alert, CutOff, Hop, NetworkAnalysis, Reach, Removed
from simulator.analysis.network.plot import CUT, draw_network, network_plot
from simulator.files import FileRefusedError


def _scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "schema_version": 2,
            "id": "tiny",
            "title": "Tiny <b>network</b> & $x$",
            "summary": "A tiny network.",
            "learning_objectives": ["Pass it on."],
            "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
            "sites": [{"id": "s", "name": "The [bold]site[/bold]", "kind": "school", "occupancy": 10}],
            "stakeholders": [
                {"id": "a", "name": "Alpha & Co", "kind": "site_staff", "site": "s"},
                {"id": "b", "name": "Bravo <desk>", "kind": "police_control"},
                {"id": "c", "name": "Charlie $50", "kind": "patrol"},
                {"id": "d", "name": "Delta", "kind": "media"},
            ],
            "channels": [
                {"id": "ab", "from": "a", "to": "b", "latency": "10s"},
                {"id": "bc", "from": "b", "to": "c", "latency": "20s"},
            ],
        }
    )


def _analysis(removed: tuple[Removed, ...] = ()) -> tuple[NetworkAnalysis, Alert]:
    ab = Hop("a", "b", ("ab",), 10.0, 1.0)
    bc = Hop("b", "c", ("bc",), 20.0, 1.0)
    alert = Alert(
        site="s",
        origins=("a",),
        reach=(
            Reach("a", 0.0, 1.0, ()),
            Reach("b", 10.0, 1.0, (ab,)),
            Reach("c", 30.0, 1.0, (ab, bc)),
            Reach("d", None, 0.0, (), why_not="no enabled channel leads to it"),
        ),
        cut_offs=(CutOff("stakeholder", "b", ("c",)), CutOff("channel", "ab", ("b", "c"))),
        betweenness=(("b", 1.0),),
    )
    names = {"a": "Alpha & Co", "b": "Bravo <desk>", "c": "Charlie $50", "d": "Delta", "s": "The [bold]site[/bold]"}
    analysis = NetworkAnalysis("tiny", "Tiny <b>network</b> & $x$", None, removed, names, 4, 2, (alert,), ())
    return analysis, alert


def test_the_svg_is_the_same_bytes_every_time_and_carries_no_date() -> None:
    analysis, alert = _analysis()
    first = network_plot(analysis, alert, _scenario(), ".svg")
    assert first == network_plot(analysis, alert, _scenario(), ".svg")
    text = first.decode("utf-8")
    assert "<dc:date>" not in text and "Matplotlib" not in text


def test_names_are_drawn_as_text_exactly_as_written_and_escaped() -> None:
    analysis, alert = _analysis()
    text = network_plot(analysis, alert, _scenario(), ".svg").decode("utf-8")
    assert "Alpha &amp; Co" in text and "Bravo &lt;desk&gt;" in text and "Charlie $50" in text
    assert "never reached" in text
    assert "an alert at The [bold]site[/bold]" in text


def test_single_points_of_failure_are_outlined_and_named_in_the_legend() -> None:
    analysis, alert = _analysis()
    text = network_plot(analysis, alert, _scenario(), ".svg").decode("utf-8")
    assert "single point of failure" in text
    assert CUT.lower() in text.lower()
    plain = Alert(alert.site, alert.origins, alert.reach, (), alert.betweenness)
    text = network_plot(analysis, plain, _scenario(), ".svg").decode("utf-8")
    assert "single point of failure" not in text and CUT.lower() not in text.lower()


def test_what_a_what_if_left_out_is_drawn_dashed_and_labelled() -> None:
    analysis, alert = _analysis((Removed("stakeholder", "d"),))
    text = network_plot(analysis, alert, _scenario(), ".svg").decode("utf-8")
    assert "left out (what-if)" in text and "Delta (left out)" in text
    assert "left out" not in network_plot(*_analysis(), _scenario(), ".svg").decode("utf-8")


def test_a_png_is_written_by_its_suffix_and_an_existing_file_is_refused_without_force(tmp_path: Path) -> None:
    analysis, alert = _analysis()
    path = tmp_path / "net.png"
    draw_network(analysis, alert, _scenario(), path)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert data == network_plot(analysis, alert, _scenario(), ".png")
    path.write_bytes(b"old")
    with pytest.raises(FileRefusedError):
        draw_network(analysis, alert, _scenario(), path)
    assert path.read_bytes() == b"old"
    draw_network(analysis, alert, _scenario(), path, force=True)
    assert path.read_bytes() == data


def test_another_suffix_is_refused() -> None:
    with pytest.raises(ValueError, match=r"svg or \.png"):
        network_plot(*_analysis(), _scenario(), ".pdf")


def _fill(fraction: float) -> str:
    """The hex colour of a node at this fraction of the colour scale (cividis up to 0.9)."""
    import matplotlib
    from matplotlib.colors import to_hex

    return to_hex(matplotlib.colormaps["cividis"](0.9 * fraction))


def test_the_colour_scale_is_anchored_and_shown_as_a_bar_with_its_times() -> None:
    analysis, alert = _analysis()
    # Charlie at 30 s: half the scale by default (it runs to a minute at least); a quarter when the scale runs to
    # 120 s (a what-if drawn on the scale of the network before it).
    default = network_plot(analysis, alert, _scenario(), ".svg").decode("utf-8")
    assert f"fill: {_fill(0.5)}" in default and "colour: expected minutes" in default
    anchored = network_plot(analysis, alert, _scenario(), ".svg", scale_s=120.0).decode("utf-8")
    assert f"fill: {_fill(0.25)}" in anchored and f"fill: {_fill(0.25)}" not in default


def test_a_long_title_and_a_long_name_are_wrapped_not_clipped() -> None:
    analysis, alert = _analysis()
    long_name = "Christchurch Hospital emergency department and trauma unit"
    names = {**analysis.names, "c": long_name}
    title = "A very long scenario title that goes on and on about the two sites and the whole city"
    wide = NetworkAnalysis("tiny", title, None, (), names, 4, 2, (alert,), ())
    text = network_plot(wide, alert, _scenario(), ".svg").decode("utf-8")
    # Every word of both is drawn, none cut with an ellipsis.
    for word in (*long_name.split(), *title.split()):
        assert word in text, word
    assert "…" not in text
