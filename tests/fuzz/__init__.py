"""Fuzz targets (not part of `make test`; run with `make fuzz` or `python -m tests.fuzz.fuzz_loader --seconds N`)."""
