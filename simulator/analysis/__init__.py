"""Headless analysis of runs: replay and verify, fork, compare, Monte Carlo batches, export."""
