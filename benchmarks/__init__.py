"""Benchmarks: the corpus generator (generate.py) and the timing run (run.py); a package so tests import the generator."""
