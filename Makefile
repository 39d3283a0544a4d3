# PHANAT survey analysis: every command a researcher needs. `make` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif
RUN := $(UV) run --frozen --no-sync

# Inputs of `make run` / `make report`; override for your own study, e.g.
#   make report DATA=data/raw/mystudy/export.csv CODEBOOK=... STUDY=... OUT=data/processed/mystudy
DATA ?= data/raw/example/responses.csv
CODEBOOK ?= data/raw/example/codebook.yaml
STUDY ?= data/raw/example/study.yaml
OUT ?= data/processed/example
EDITION ?= th   # th: the Thai write-up; en: the English edition (writeup.en.*)

.PHONY: help install report run render package schema test test-fast lint format bench synth fixtures clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## //' | awk -F': ' '{printf "  make %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==0.13.9"

## install: install the locked environment (.venv) with uv: Python 3.11, the pipeline, test and lint tools, JupyterLab
install: .venv/.installed
.venv/.installed: pyproject.toml uv.lock | $(UV)
	@echo "installing the locked environment with the test tools into .venv ..."
	$(UV) sync --frozen --compile-bytecode -q
	$(RUN) python -m compileall -q src
	@touch $@ .venv/.runtime

# What run/report/render/package need: the project's dependencies only (no dev or lab group);
# --inexact keeps the test tools if `make install` put them there.
.venv/.runtime: pyproject.toml uv.lock | $(UV)
	@echo "installing the locked environment into .venv (the first time takes a minute or two) ..."
	$(UV) sync --frozen --no-default-groups --inexact --compile-bytecode -q
	$(RUN) python -m compileall -q src
	@touch $@

## report: install, run the pipeline on DATA (only when OUT has no results newer than the inputs) and render the write-up
report: $(OUT)/results/clean.json
	$(RUN) phanat render --results $(OUT) --lang $(strip $(EDITION))

# The run folder's results are remade only when an input is newer than the run (the folder is
# swapped in whole, so its first stage file dates it): `make report EDITION=en` after `make
# report` renders the English edition without re-running or touching the Thai one. phanat render
# reads the results through load_results, which refuses a mixed or incomplete run.
$(OUT)/results/clean.json: $(DATA) $(CODEBOOK) $(STUDY) | .venv/.runtime
	$(RUN) phanat run --data $(DATA) --codebook $(CODEBOOK) --study $(STUDY) --out $(OUT)

## run: install and run notebooks 01-04 with papermill on DATA into OUT
run: .venv/.runtime
	$(RUN) phanat run --data $(DATA) --codebook $(CODEBOOK) --study $(STUDY) --out $(OUT)

## render: render the write-up again from the results already in OUT
render: .venv/.runtime
	$(RUN) phanat render --results $(OUT) --lang $(strip $(EDITION))

## package: build the award submission zip from the rendered write-up in OUT
package: .venv/.runtime
	$(RUN) phanat package --results $(OUT)

## schema: write docs/results.schema.json (JSON Schema of the run's results files) from the typed models
schema: .venv/.runtime
	$(RUN) phanat schema

## test: install, check lint (ruff) and run every test (unit, R reference values, end to end)
test: install
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks
	$(RUN) pytest

## test-fast: the tests without the end-to-end pipeline runs
test-fast: install
	$(RUN) pytest -m "not e2e"

## lint: ruff checks and formatting check
lint: install
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks

## format: fix what ruff can fix
format: install
	$(RUN) ruff check --fix src tests benchmarks
	$(RUN) ruff format src tests benchmarks

## bench: every benchmark with its target and ratio; writes the scaling table (1k-1M respondents) into README.md
bench: install
	$(RUN) python benchmarks/bench_cleaning.py
	$(RUN) python benchmarks/bench_reliability.py
	$(RUN) python benchmarks/bench_pipeline.py --repeat 3 --readme
	$(RUN) python benchmarks/bench_scale.py --runs 100000,500000 --readme

## synth: regenerate the synthetic example export (data/raw/example/responses.csv)
synth: .venv/.runtime
	$(RUN) phanat synth --config data/raw/example/synthetic.yaml

## fixtures: recompute the R reference values (needs R with psych, psychTools, effectsize, lavaan, lme4)
fixtures: install
	$(RUN) python tests/reference/export_example.py
	Rscript tests/reference/make_fixtures.R
	$(RUN) python tests/reference/make_cycles_data.py
	Rscript tests/reference/make_fixtures_cycles.R

## clean: remove generated outputs (data/processed, reports/_generated); keeps .venv
clean:
	rm -rf data/processed/example data/processed/*.partial data/processed/*.failed
	rm -rf reports/_generated reports/_output reports/writeup.typ
