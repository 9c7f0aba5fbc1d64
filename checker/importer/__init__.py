"""Import the published tables (PDF, .xlsx, text extractions) into roadmap YAML with provenance."""
