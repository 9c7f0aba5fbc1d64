"""Running rules: compiled rules over a corpus (one process: SerialRunner), suppressions, baselines, rule examples."""
