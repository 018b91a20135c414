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
CDKTF_ENV = CLICKSTREAM_ENVS="$(sort $(ENVS) $(ENV))" CLICKSTREAM_EXPIRES_ON=$(EXPIRES_ON)

# The team's provider lock file (README: What is verified offline), put where Terraform reads it.
PROVIDER_LOCK = if [ -f infra/.terraform.lock.hcl ]; then cp infra/.terraform.lock.hcl cdktf.out/stacks/$(ENV)/; fi

.PHONY: help setup synth validate bench-validate test test-fast demo deploy destroy diff bench-synth clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: ## Install Python and npm packages (idempotent); checks Python, Node, Java
	@scripts/setup.sh

synth: setup ## Synthesize every environment into cdktf.out/
	@$(CDKTF_ENV) $(PY) -m infra.app

validate: synth ## Terraform validate + mocked apply/destroy of every environment, offline: make validate [ENV=..]
	@$(CDKTF_ENV) $(PY) -m infra.terraform --outdir cdktf.out --env $(sort $(ENVS) $(ENV))

bench-validate: synth ## Wall time of `make validate` (init, validate, mocked test per environment) vs its 2 min budget
	@$(CDKTF_ENV) $(PY) -m infra.terraform --outdir cdktf.out --env $(sort $(ENVS) $(ENV)) --budget 120

test: setup ## Run every test, the slow end-to-end ones included (what CI runs)
	@$(PY) -m pytest

test-fast: setup ## Run the fast unit tests only
	@$(PY) -m pytest -m "not slow"

demo: demo-run ## The main job, locally: synth, policy scan, producer and pipeline, report (mk/demo.mk)

deploy: synth ## Deploy one environment: make deploy ENV=dev (needs Terraform and Azure login)
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(PROVIDER_LOCK)
	@$(CDKTF_ENV) npx cdktf deploy $(ENV) --skip-synth --auto-approve=$(if $(AUTO_APPROVE),true,false)
	@# Column-mask functions before any pipeline update (infra/constructs/masks.py).
	@$(MAKE) --no-print-directory outputs ENV=$(ENV)
	@$(MAKE) --no-print-directory ops ENV=$(ENV) CMD=masks

destroy: synth ## Destroy one environment: make destroy ENV=pr-42
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(PROVIDER_LOCK)
	@$(CDKTF_ENV) npx cdktf destroy $(ENV) --skip-synth --auto-approve=$(if $(AUTO_APPROVE),true,false)

diff: synth ## Plan one environment against its state: make diff ENV=dev
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(PROVIDER_LOCK)
	@$(CDKTF_ENV) npx cdktf diff $(ENV) --skip-synth

bench-synth: setup ## Synth time of all environments vs importing the providers alone
	@$(CDKTF_ENV) $(PY) -m infra.bench

clean: ## Remove generated output (not the installed packages)
	rm -rf cdktf.out reports .local

-include mk/*.mk
