"""The rule language: rule files compiled into rules, field paths, filters, templates, RE2 patterns, JSON Schemas."""
