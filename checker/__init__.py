"""roadmap-check: rule-based checks for reform roadmaps (its layers and their order: tests/test_layers.py)."""
