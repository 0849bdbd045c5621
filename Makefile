# The README's commands. `make up` runs the whole system; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv/bin
# Without .env, `make up` runs in demo mode: .env.example's public credentials, 127.0.0.1 only.
UP_ARGS := $(if $(wildcard .env),--env-file .env,--demo)
PYTEST_ARGS ?=

.PHONY: bootstrap up test test-unit bench lint infra-up infra-status infra-down clean

bootstrap:
	@scripts/bootstrap.sh

up: bootstrap
	$(VENV)/vanthu up $(UP_ARGS)

test: bootstrap
	$(VENV)/pytest -q -ra $(PYTEST_ARGS)

test-unit: bootstrap
	$(VENV)/pytest -q tests/unit $(PYTEST_ARGS)

bench: bootstrap
	$(VENV)/python -m bench.run

lint: bootstrap
	$(VENV)/ruff check .
	$(VENV)/mypy shared services tools
	$(VENV)/lint-imports

infra-up: bootstrap
	$(VENV)/vanthu infra up

infra-status: bootstrap
	$(VENV)/vanthu infra status

infra-down: bootstrap
	$(VENV)/vanthu infra down

clean:
	rm -rf test-artifacts .pytest_cache .mypy_cache .ruff_cache
