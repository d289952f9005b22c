# `make demo` and `make test` set everything up from nothing: a virtual environment in
# .venv with the package and its dependencies (all from PyPI, no downloads at run time),
# pyspark included for the Spark job's test (it needs Java: .ci/run installs it where missing).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: demo test bench bench-scale clean eval

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,spark]'
	touch $(STAMP)

# Ingest the examples into thucydides.db (again: nothing is added twice), then show what was found.
demo: $(STAMP)
	$(VENV)/bin/thucydides ingest --db thucydides.db examples/*.txt
	$(VENV)/bin/thucydides quotes --db thucydides.db
	$(VENV)/bin/thucydides stats --db thucydides.db

bench: $(STAMP)
	$(PY) benchmarks/article_extraction.py

# Speed and memory (README, "Scale"): analysis vs the bare parse, --workers 1 vs 2, 20,000 articles.
bench-scale: $(STAMP)
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/workers.py
	$(PY) benchmarks/memory.py

test: $(STAMP)
	$(PY) -m pytest -q

eval: $(STAMP)
	$(PY) ../shared/tools/thuc_eval.py seed ../shared/seed --cmd "$(VENV)/bin/thucydides analyze --format jsonl"

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
