# A newcomer needs two targets: `make demo` and `make test`. Both build .venv from the lock file.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/dev.lock

.PHONY: venv demo test lint fmt typecheck schemas lock cassettes record clean

$(BIN)/.installed: $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

venv: $(BIN)/.installed

demo: venv ## Both seed articles end to end on recorded responses, no key needed.
	$(BIN)/summarizer demo --out demo-output

test: venv lint typecheck ## Lint, strict type check, then the offline test suite.
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check summarizer tests
	$(BIN)/ruff format --check summarizer tests

typecheck: venv
	$(BIN)/mypy

fmt: venv
	$(BIN)/ruff check --fix summarizer tests
	$(BIN)/ruff format summarizer tests

schemas: venv ## Regenerate schemas/*.json from the Pydantic models.
	$(BIN)/summarizer schema meeting > schemas/meeting.json
	$(BIN)/summarizer schema cooperation > schemas/cooperation.json

lock: venv ## Refresh the pinned test environment (recorded request bodies depend on it).
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra pdf --extra docx \
		--universal --python-version 3.11 --quiet -o $(LOCK)

cassettes: venv ## Rebuild the cassettes from the hand-written answers in fixtures/answers.
	$(BIN)/python -m tests.record

record: venv ## Re-record the cassettes against a live provider (OPENAI_API_KEY / OPENAI_BASE_URL).
	$(BIN)/python -m tests.record --live

clean:
	rm -rf $(VENV) demo-output dist
