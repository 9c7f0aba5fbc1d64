# Two entry points: `make lint` (the main job on roadmaps/) and `make test` (the whole suite).
# Each bootstraps .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lint test soak fuzz bench docs clean

# setup.py and the C source too: the fast YAML path (checker/_fastyaml.c) is compiled at install.
$(STAMP): pyproject.toml setup.py checker/_fastyaml.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Exit 1 means "findings were reported", which is the job working; 2 is a real failure.
# The paths and --as-of come from [tool.roadmap-check] in pyproject.toml, so that a bare
# `roadmap-check lint` in this directory gives the same findings.
lint: $(STAMP)
	$(BIN)/roadmap-check lint || [ $$? -eq 1 ]

test: $(STAMP)
	$(BIN)/ruff check checker tests benchmarks
	$(BIN)/python -m pytest

# The long profile of the differential stateful test (tests/test_exact_stateful.py): cached, uncached, one
# worker and several must agree after every edit. SOAK_STEPS steps on a corpus of SOAK_CELLS generated cells.
soak: $(STAMP)
	ROADMAP_CHECK_SOAK_STEPS=$${SOAK_STEPS:-2000} ROADMAP_CHECK_SOAK_CELLS=$${SOAK_CELLS:-3000} \
		$(BIN)/python -m pytest -p no:cacheprovider -s tests/test_exact_stateful.py -k soak

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.fuzz_loader --seconds $${FUZZ_SECONDS:-60}

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Regenerate the files that tests keep up to date (rule reference, rule language and editor schemas).
docs: $(STAMP)
	$(BIN)/roadmap-check rules docs --output docs/rules.md
	$(BIN)/roadmap-check rules language --output docs/rule-language.md
	$(BIN)/roadmap-check schema data --output checker/schemas/data.schema.json
	$(BIN)/roadmap-check schema rules --output checker/schemas/rules.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build checker/*.so
