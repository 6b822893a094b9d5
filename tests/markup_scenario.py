"""A small scenario whose texts look like Rich markup, emoji codes and links, for the tests that print it."""

from __future__ import annotations

import json
from functools import cache

TRICKS = ("[/]", "[blink red]x[/]", "[link=http://127.0.0.1:9/]click[/link]", ":100:")
"""Texts Rich would read as a closing tag (a crash), a style, a terminal hyperlink and an emoji code (💯)."""
TITLE = "Drill " + " ".join(TRICKS)
MILESTONE = "Police know " + " ".join(TRICKS)
OBJECTIVE = "Alert " + " ".join(TRICKS)
GUARD = "Guard [/] [b]G[/b] :100:"


@cache
def scenario_text(title: str = TITLE) -> str:
    """A small valid scenario whose title, milestone, objective and stakeholder names hold `TRICKS`."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    return f"""\
schema_version: 2
id: literal
title: {q(title)}
summary: Two stakeholders and one phone line.
learning_objectives: [Call the police.]
clock: {{start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 1h}}
facts:
  - {{id: attack, description: {q("An attack [/] :100:")}}}
sites:
  - {{id: hall, name: Hall, kind: other, occupancy: 10}}
stakeholders:
  - id: guard
    name: {q(GUARD)}
    kind: site_staff
    site: hall
    playbook:
      - id: call
        on: {{fact: attack}}
        do: [{{action: notify, to: police, fact: attack}}]
  - id: police
    name: Police
    kind: police_control
    playbook:
      - id: ask
        on: {{fact: attack}}
        do: [{{action: request_decision, decision: go}}]
decisions:
  - id: go
    stakeholder: police
    role: Duty officer
    prompt: {q("Go in? [/] :100:")}
    deadline: 1m
    default: wait
    options:
      - {{id: wait, label: {q("Wait [/]")}}}
      - {{id: now, label: {q("Now [/]")}}}
channels:
  - {{id: phone, from: guard, to: police, latency: 10s}}
threat:
  description: Abstract.
  phases:
    - {{id: attack, kind: attack, site: hall, duration: 10m, observed_by: [{{stakeholder: guard, fact: attack}}]}}
injects:
  - {{id: inj-01, at: 0s, to: guard, text: {q("Doors [/] :100:")}}}
variants:
  - {{id: slow, description: {q("A slow [/] line :100:")}, change: {{channels: {{phone: {{latency: 5m}}}}}}}}
milestones:
  - {{id: attack-starts, name: Attack begins, when: {{event: threat_phase_started, phase: attack}}}}
  - {{id: police-know, name: {q(MILESTONE)}, when: {{fact: attack, stakeholder: police}}}}
objectives:
  - id: alert
    name: {q(OBJECTIVE)}
    core_capability: Operational Communications
    since: attack-starts
    until: police-know
    thresholds: {{performed: 3m, some_challenges: 5m, major_challenges: 10m}}
"""
