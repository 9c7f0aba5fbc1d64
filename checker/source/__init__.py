"""Files in: discovery and bounded reads, encodings, YAML to values with a source map (C and Python builders)."""
