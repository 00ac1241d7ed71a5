# xinqiao: two commands do all the set-up. `make demo` runs the bot; `make test` runs the suite.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint eval-triage train-triage bench-triage bench-escalation bench-wechat bench-import soak clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PY) not found; set PY=...)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/xinqiao serve --demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot handlers keywords tests
	$(BIN)/mypy bot keywords handlers

# HELDOUT=FILE adds a held-out set outside the repo (figures only); MISSES=1 lists misses of the others;
# NO_MODEL=1 grades with the rules alone.
eval-triage: $(STAMP)
	$(BIN)/python scripts/eval_triage.py $(if $(MISSES),--misses) $(if $(HELDOUT),--heldout $(HELDOUT)) $(if $(NO_MODEL),--no-model)

# Trains the learned second opinion on the in-repo labelled sets (fixed seed) into keywords/data/model.json.
train-triage: $(STAMP)
	$(BIN)/python scripts/train_triage.py

bench-triage: $(STAMP)
	$(BIN)/python scripts/bench_triage.py

bench-escalation: $(STAMP)
	$(BIN)/python scripts/bench_escalation.py

bench-import: $(STAMP)
	$(BIN)/python scripts/bench_import.py

bench-wechat: $(DEV_STAMP)
	$(BIN)/python scripts/bench_wechat.py

soak: $(DEV_STAMP)
	$(BIN)/python scripts/soak.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
