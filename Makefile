# The front door. `make demo` runs the main job locally, `make test` the tests;
# both install what they need first. Each part adds its targets in mk/<part>.mk.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export CHECKPOINT_DISABLE := 1
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_VERBOSITY := -1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

PY := .venv/bin/python
ENV ?= dev
# Environments synthesized by `make synth`: the two long-lived ones plus an example
# ephemeral one, so CI scans every kind of environment.
ENVS ?= dev prod pr-42
# Ephemeral environments expire a week after they are synthesized unless told otherwise.
EXPIRES_ON ?= $(shell date -u -d '+7 days' +%F)
# Every plan and apply waits up to LOCK_TIMEOUT for a held state lock instead of failing.
# Pull-request plans pass STATE_LOCK=false (never lock a long-lived environment's state:
# their identity can only read it) and REFRESH=false (they read no cloud resource).
LOCK_TIMEOUT ?= 10m
STATE_LOCK ?= true
REFRESH ?= true
TF_ARGS = TF_CLI_ARGS_plan="-lock=$(STATE_LOCK) -lock-timeout=$(LOCK_TIMEOUT) -refresh=$(REFRESH)" \
	TF_CLI_ARGS_apply="-lock-timeout=$(LOCK_TIMEOUT)" TF_CLI_ARGS_destroy="-lock-timeout=$(LOCK_TIMEOUT)"
CDKTF_ENV = CLICKSTREAM_ENVS="$(sort $(ENVS) $(ENV))" CLICKSTREAM_EXPIRES_ON=$(EXPIRES_ON) $(TF_ARGS)

.PHONY: help setup synth test test-fast demo deploy destroy diff bench-synth clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: ## Install Python and npm packages (idempotent); checks Python, Node, Java
	@scripts/setup.sh

synth: setup ## Synthesize every environment into cdktf.out/
	@$(CDKTF_ENV) $(PY) -m infra.app

test: setup ## Run every test, the slow end-to-end ones included (what CI runs)
	@$(PY) -m pytest

test-fast: setup ## Run the fast unit tests only
	@$(PY) -m pytest -m "not slow"

demo: demo-run ## The main job, locally: synth, policy scan, producer and pipeline, report (mk/demo.mk)

deploy: setup ## Deploy one environment: make deploy ENV=dev (needs Terraform and Azure login)
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(CDKTF_ENV) npx cdktf deploy $(ENV) --auto-approve=$(if $(AUTO_APPROVE),true,false)

destroy: setup ## Destroy one environment: make destroy ENV=pr-42
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(CDKTF_ENV) npx cdktf destroy $(ENV) --auto-approve=$(if $(AUTO_APPROVE),true,false)

diff: setup ## Plan one environment against its state: make diff ENV=dev
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(CDKTF_ENV) npx cdktf diff $(ENV)

bench-synth: setup ## Synth time of all environments vs importing the providers alone
	@$(CDKTF_ENV) $(PY) -m infra.bench

clean: ## Remove generated output (not the installed packages)
	rm -rf cdktf.out reports .local

-include mk/*.mk
