"""A small scenario whose texts are HTML markup (a script, an image that runs code, an entity), for the report tests."""

from __future__ import annotations

import json
from functools import cache

SCRIPT = "<script>window.__pwned=1</script>"
"""A script element: run if a template pasted the text in as HTML."""
IMAGE = '<img src=x onerror="window.__pwned=2">'
"""An element whose attribute runs code (and would make a request for `x`)."""
ENTITY = "&amp;"
"""An entity: shown as `&amp;`, not as `&`, when the text is escaped once and only once."""
HOSTILE = (SCRIPT, IMAGE, ENTITY)
TITLE = f"Drill {SCRIPT} {ENTITY}"
SUMMARY = f"Two stakeholders {IMAGE} and one phone line {ENTITY} {SCRIPT}."
GUARD = f"Guard {IMAGE}"
POLICE = f"Police {SCRIPT} {ENTITY}"
FACT = f"An attack {SCRIPT} {IMAGE} {ENTITY}"
MILESTONE = f"Police know {IMAGE} {ENTITY}"
OBJECTIVE = f"Alert {SCRIPT} {ENTITY}"
OBSERVATION = f"The guard called at once {SCRIPT} {IMAGE} {ENTITY}"
"""An evaluator's observation, noted during the run."""
TEXTS = (TITLE, SUMMARY, GUARD, POLICE, FACT, MILESTONE, OBJECTIVE)
"""Every hostile text of the scenario."""


@cache
def scenario_text() -> str:
    """A small valid scenario (two variants) whose title, summary, names and descriptions hold `HOSTILE`."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    return f"""\
schema_version: 2
id: hostile
title: {q(TITLE)}
summary: {q(SUMMARY)}
learning_objectives: [Call the police.]
clock: {{start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 30m}}
facts:
  - {{id: attack, description: {q(FACT)}}}
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
    name: {q(POLICE)}
    kind: police_control
channels:
  - {{id: phone, from: guard, to: police, latency: {{dist: uniform, low: 10s, high: 4m}}}}
threat:
  description: Abstract.
  phases:
    - {{id: attack, kind: attack, site: hall, duration: 10m, observed_by: [{{stakeholder: guard, fact: attack}}]}}
variants:
  - {{id: slow, description: {q("A slow line " + SCRIPT)}, change: {{channels: {{phone: {{latency: 5m}}}}}}}}
  - {{id: fast, description: {q("A fast line " + IMAGE)}, change: {{channels: {{phone: {{latency: 5s}}}}}}}}
milestones:
  - {{id: attack-starts, name: Attack begins, when: {{event: threat_phase_started, phase: attack}}}}
  - {{id: police-know, name: {q(MILESTONE)}, when: {{fact: attack, stakeholder: police}}}}
objectives:
  - id: alert
    name: {q(OBJECTIVE)}
    core_capability: Operational Communications
    since: attack-starts
    until: police-know
    thresholds: {{performed: 1m, some_challenges: 3m, major_challenges: 4m}}
"""
