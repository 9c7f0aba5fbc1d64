"""`python -m checker.cli`: the same command line as the roadmap-check script."""

from checker.cli.commands import main

main()
