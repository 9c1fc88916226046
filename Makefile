# Parley. `make dev` runs the local stack; `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 3000
LAMBDA_PORT ?= 3001
# sam validate / build run offline (the proxy reaches nothing); python3.13 comes from pyenv when present.
OFFLINE := HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost PYENV_VERSION=3.11.7:3.12.1:3.13.0
WHEELS := .aws-sam/wheels
CHECKOV := $(VENV)-checkov/bin/checkov
LAYER_REQUIREMENTS := layers/parley/requirements.txt

.PHONY: install dev test chromium lint format openapi bench screenshots sam-validate sam-build clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Parley needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(INSTALLED)

# The stack keeps its data in .parley/ across restarts; `make dev FRESH=1` starts empty.
dev: $(INSTALLED)
	PORT=$(PORT) LAMBDA_PORT=$(LAMBDA_PORT) $(BIN)/parley dev $(if $(FRESH),--fresh)

test: $(INSTALLED) chromium
	$(BIN)/pytest

# The browser tests drive Debian's Chromium (never a browser Playwright downloads).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "The browser tests need Chromium: sudo apt-get install chromium chromium-driver"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

lint: $(INSTALLED) $(CHECKOV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/parley/parley cli/parley_cli functions bench
	$(BIN)/cfn-lint template.yaml
	$(CHECKOV) -f template.yaml --framework cloudformation --quiet --compact --skip-download

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(INSTALLED)
	$(BIN)/python -m parley_cli.openapi > docs/openapi.json

bench: $(INSTALLED)
	$(BIN)/python -m bench

# The demo article at desktop and phone widths, into docs/screenshots/ (needs /usr/bin/chromium).
screenshots: $(INSTALLED)
	$(BIN)/python -m parley_cli.screenshots

# checkov, like the SAM CLI below, lives in a virtual environment of its own: it pins boto3,
# botocore and packaging below what the project uses.
$(CHECKOV):
	$(PYTHON) -m venv $(VENV)-checkov
	$(VENV)-checkov/bin/python -m pip install --quiet "checkov>=3.2,<4"

# The SAM CLI lives in a virtual environment of its own: its pins do not mix with the project's.
$(VENV)-sam/bin/sam:
	$(PYTHON) -m venv $(VENV)-sam
	$(VENV)-sam/bin/python -m pip install --quiet aws-sam-cli

sam-validate: $(VENV)-sam/bin/sam
	$(OFFLINE) $(VENV)-sam/bin/sam validate --lint

# The layer's wheels (python3.13, for Lambda's arm64 and for the builder's own resolution on x86_64)
# are fetched first with pip's usual registry settings; sam build then installs from them alone.
sam-build: $(VENV)-sam/bin/sam $(INSTALLED)
	for platform in aarch64 x86_64; do \
	  $(BIN)/python -m pip download --quiet --only-binary=:all: --python-version 3.13 --implementation cp \
	    --platform manylinux2014_$$platform --platform manylinux_2_28_$$platform \
	    -r $(LAYER_REQUIREMENTS) -d $(WHEELS) || exit 1; \
	done
	$(OFFLINE) PIP_NO_INDEX=1 PIP_FIND_LINKS=$(CURDIR)/$(WHEELS) $(VENV)-sam/bin/sam build

clean:
	rm -rf $(VENV) $(VENV)-sam $(VENV)-checkov .aws-sam .pytest_cache .mypy_cache .ruff_cache
