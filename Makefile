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

# Every synthesized stack, the bootstrap included, against the real provider schemas.
VALIDATE = $(CDKTF_ENV) $(PY) -m infra.terraform --outdir cdktf.out --env $(sort $(ENVS) $(ENV)) bootstrap
# The team's provider lock file (README: What is verified offline), put where Terraform reads it.
PROVIDER_LOCK = if [ -f infra/.terraform.lock.hcl ]; then cp infra/.terraform.lock.hcl cdktf.out/stacks/$(ENV)/; fi

.PHONY: help setup synth validate bench-validate test test-fast lint demo deploy destroy diff rotate-key bench-synth clean

# `make help` groups targets by the `##@ <part>` line above them, parts in this order.
HELP_ORDER := Main job,Setup,Infrastructure,Pipeline,Producer,Policies,Delivery,Ops

##@ Setup
help: ## List the targets, by part
	@awk -v order="$(HELP_ORDER)" '/^##@ / { part = substr($$0, 5) } \
	  /^[a-z-]+:.*## / { target = $$0; sub(/:.*/, "", target); text = $$0; sub(/^[^#]*## /, "", text); \
	    listed[part] = listed[part] sprintf("  %-16s %s\n", target, text) } \
	  END { n = split(order, parts, ","); for (i = 1; i <= n; i++) if (parts[i] in listed) printf "%s\n%s", parts[i], listed[parts[i]] }' \
	  $(MAKEFILE_LIST)

setup: ## Install Python and npm packages (idempotent); checks Python, Node, Java
	@scripts/setup.sh

##@ Infrastructure
synth: setup ## Synthesize every environment into cdktf.out/
	@$(CDKTF_ENV) $(PY) -m infra.app

validate: synth ## Terraform validate + mocked apply/destroy of every environment, offline: make validate [ENV=..]
	@$(VALIDATE)

bench-validate: synth ## Wall time of `make validate` (init, validate, mocked test per environment) vs its 2 min budget
	@$(VALIDATE) --budget 120

##@ Main job
demo: demo-run ## The main job, locally: synth, policy scan, producer and pipeline, report (mk/demo.mk)

# Test workers: a file's tests stay on one worker (module and session fixtures are built
# once per worker), and the end-to-end scenario starts first (tests/conftest.py).
TEST_WORKERS ?= 2

test: setup lint ## Lint, then every test, the slow end-to-end ones included (what CI runs); TEST_WORKERS=2
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: setup ## ruff (lint + format check) everywhere, mypy on contract, infra, policies, review, synthesized (pyproject.toml)
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) -m mypy

test-fast: setup ## Run the fast unit tests only
	@$(PY) -m pytest -m "not slow"

##@ Infrastructure
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

rotate-key: ## New pseudonymisation key on the next deploy: make rotate-key ENV=dev (then commit)
	@$(PY) -m infra.rotate_key $(ENV)

bench-synth: setup ## Synth time of all environments vs importing the providers alone
	@$(CDKTF_ENV) $(PY) -m bench.synth

##@ Setup
clean: ## Remove generated output (not the installed packages)
	rm -rf cdktf.out reports .local

-include mk/*.mk
