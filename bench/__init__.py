"""Benchmarks and calibration (run with `python -m bench …`); not imported by the product."""
