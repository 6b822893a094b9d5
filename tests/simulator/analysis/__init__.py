"""Tests of replay, fork, compare, batches, loading and export."""
