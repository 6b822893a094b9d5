"""Tests of the scenario package: models, loader, YAML reader, schema and the invalid-scenario corpus."""
