"""The command line: `main` (click) with lint, config and baseline (commands.py), rules and schema (rules.py), import
(importing.py), and how options combine with the configuration and the defaults (settings.py)."""

from checker.cli.commands import default_lang, main, pair_outputs

__all__ = ["default_lang", "main", "pair_outputs"]
