"""The console shows a corrected fact as corrected: in the network panel and in a decision's prompt."""

from __future__ import annotations

from simulator import ExerciseHost
from simulator.views import OptionView, PendingDecision
from tests.simulator.test_engine_corrections import observed
from tui.dialogs.decide import DecisionDialog
from tui.widgets.network import network_text


def test_the_network_panel_shows_a_corrected_fact_as_corrected() -> None:
    host = ExerciseHost.open(observed().scenario, 1)
    host.advance_to(300.0)
    names = host.catalogue().names

    shown = network_text(host.network("guard"), [], names, "guard").plain.splitlines()
    host.abandon()

    assert shown[1:] == [
        "    • Six shooting locations.  T+00:01:00 from observation; corrected T+00:04:00 by “One attacker, one "
        "location confirmed.”",
        "    • One attacker, one location confirmed.  T+00:04:00 from inject:inj-01",
    ]


def test_the_decision_prompt_shows_what_the_organisation_knows_with_its_corrections() -> None:
    host = ExerciseHost.open(observed().scenario, 1)
    host.advance_to(300.0)
    knows, names = host.awareness("guard", "guard"), host.catalogue("guard").names
    host.abandon()
    options = (OptionView("stay", "Stay", None, ()), OptionView("leave", "Leave", None, ()))
    prompt = DecisionDialog(
        PendingDecision("go", "guard", "Chief", "Go?", options, "stay", 0.0, 60.0, 60.0), knows, names
    )

    assert prompt._knows_text().plain.splitlines() == [
        "• Six shooting locations.  T+00:01:00, from observation; corrected T+00:04:00 by “One attacker, one location "
        "confirmed.”",
        "• One attacker, one location confirmed.  T+00:04:00, from inject:inj-01",
    ]
