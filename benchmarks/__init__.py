"""Benchmarks of Tabletop: `python -m benchmarks` runs every `bench_*` module's `main()` and prints its table."""
