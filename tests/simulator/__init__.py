"""Tests of the simulation engine and its run log."""
