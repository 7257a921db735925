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

deps: system-deps $(VENV)/.installed node_modules/.installed web/vendor/.copied

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

# The PWA's ES modules, copied from node_modules into web/vendor/ (no build step; ADR 0009).
pwa-vendor: web/vendor/.copied

web/vendor/.copied: node_modules/.installed
	mkdir -p web/vendor/barcode-detector
	cp node_modules/preact/dist/preact.mjs web/vendor/preact.mjs
	cp node_modules/preact/hooks/dist/hooks.mjs web/vendor/preact-hooks.mjs
	cp node_modules/htm/dist/htm.mjs web/vendor/htm.mjs
	cp node_modules/uqr/dist/index.mjs web/vendor/uqr.mjs
	cp node_modules/barcode-detector/dist/es/ponyfill.js node_modules/barcode-detector/dist/es/zxing-exported.js web/vendor/barcode-detector/
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm web/vendor/zxing_reader.wasm
	touch $@

clean-data:
	rm -rf .data
