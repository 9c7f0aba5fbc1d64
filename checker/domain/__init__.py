"""The documents: pydantic models, loading files into them, the corpus and its collections, text parsing, findings."""
