"""Helpers shared by the tests, in one place: test modules import from here (or take conftest fixtures), never
from one another.

mutate (change one thing in YAML data), strategies (hypothesis corpora), sample (the fixed findings the
golden files render), hostile (bad files beside a good one, CLI runs, rule-file errors), stores (a counting
GroupStore), yaml_paths (both YAML builders side by side), rules (rule ids that must exist), isolation (the
per-test HOME, cache and config directories); for the importer: pdf_render, xlsx_render and
text_render (documents in the published layouts), import_facts (content facts, to compare an import with
its originals).
"""
