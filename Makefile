# Two commands do all the set-up on a fresh machine: `make forecast` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: forecast test lint benchmark clean

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,cluster]'
	touch $(STAMP)

forecast: $(STAMP)
	$(BIN)/golive-sim forecast scenarios/trondheim-2022.toml --out out/trondheim-2022 --force

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy sim
	$(BIN)/golive-sim regress
	$(BIN)/python -m pytest tests --nbmake notebooks

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) out .pytest_cache
