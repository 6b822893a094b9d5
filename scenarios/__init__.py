"""The scenario language: models, a safe loader with located errors, the JSON Schema and the bundled library."""

from scenarios._base import parse_duration, slugify
from scenarios.errors import Diagnostic, ScenarioError
from scenarios.exercise import Inject
from scenarios.library import bundled_names, bundled_path
from scenarios.loader import CheckResult, check_scenario, load_scenario, validate_model
from scenarios.overlay import apply_variant
from scenarios.scenario import SCHEMA_VERSION, Scenario
from scenarios.variants import Variant

__all__ = [
    "SCHEMA_VERSION",
    "CheckResult",
    "Diagnostic",
    "Inject",
    "Scenario",
    "ScenarioError",
    "Variant",
    "apply_variant",
    "bundled_names",
    "bundled_path",
    "check_scenario",
    "load_scenario",
    "parse_duration",
    "slugify",
    "validate_model",
]
