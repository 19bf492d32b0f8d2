# c360 on a fresh machine: `make run` (install + run the pipeline on the bundled sample),
# `make test` (install + lint + tests). Everything installs into ./.venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test ui check-defs sample clean

$(BIN)/c360: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/c360
	$(BIN)/c360 run

test: $(BIN)/c360
	$(BIN)/ruff check .
	$(BIN)/pytest -q

check-defs: $(BIN)/c360
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg check defs

ui: $(BIN)/c360
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev

sample: $(BIN)/c360
	$(BIN)/c360 generate-sample --people 2000 --seed 42 --out sample_data

clean:
	rm -rf warehouse .dagster_home/history .dagster_home/storage .dagster_home/logs .dagster_home/schedules
