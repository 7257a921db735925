# Two commands for a fresh machine: `make run` and `make test`. Each installs what is missing.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test unit deps system-deps bench package clean-data

run: deps
	$(PY) -m infra.local

test: deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# The inner loop: lint and the unit tests (no database, no Java, no browser), in seconds.
unit: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest tests/unit

bench: deps
	$(PY) -m bench.run_all

package: deps
	$(PY) -m infra.template build/

deps: system-deps $(VENV)/.installed node_modules/.installed

# Java runs DynamoDB Local; Chromium runs the browser tests. Installed only when missing.
system-deps:
	@missing=""; command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean-data:
	rm -rf .data
