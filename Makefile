# make run   set everything up, extract the seed pages and open the dashboard on them
# make test  set everything up and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
TABLE := out/seeds.parquet

.PHONY: setup run test test-dashboard browser extract bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Debian's chromium for the browser tests (root on the project's machines; skipped with a message elsewhere)
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "chromium is not installed and this user cannot install it: browser tests will be skipped"; fi; }

$(TABLE): $(VENV)/.installed $(wildcard seeds/*.txt)
	$(BIN)/indicators extract seeds -o $(TABLE)

extract: $(TABLE)

run: $(TABLE)
	$(BIN)/indicators dashboard --table $(TABLE) --port $(PORT)

# two test processes or more (pytest-xdist): most tests wait on a browser, a server or a child
# process, so the suite takes about 6 minutes on 2 cores instead of about 8
test: setup browser
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist loadgroup

test-dashboard: setup browser
	$(BIN)/python -m pytest -q tests/test_dashboard_app.py tests/test_dashboard_views.py tests/browser

bench: setup
	$(BIN)/python benchmarks/extract_bench.py
	$(BIN)/python benchmarks/dashboard_bench.py

clean:
	rm -rf out .pytest_cache
