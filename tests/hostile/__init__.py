"""Hostile and broken input: every bad file gets a clear file:line message and exit 2, and never hides the others."""
