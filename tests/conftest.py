"""Test-wide settings: property tests are deterministic unless asked to explore."""

from __future__ import annotations

import os

from hypothesis import settings

# The same examples on every run, so that a check never passes on one machine and fails on the next by chance.
# To search further for new failing cases: HYPOTHESIS_PROFILE=explore make check
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
