# Delivery: plan review, the workflow linter the workflow tests use, the ephemeral sweep.
# See README.md: For the platform team.

.PHONY: review review-base plan-json save-plan apply-plan sweep lint-workflows bootstrap

ACTIONLINT_VERSION := 1.7.12
ACTIONLINT := .local/bin/actionlint
# What `make review` compares: a Terraform JSON plan when PLAN is set, else the configuration
# of REVIEW_BASE (made by `make review-base`) against REVIEW_AFTER (this branch's cdktf.out).
PLAN ?=
REVIEW_BASE ?= .local/cdktf.out.main
REVIEW_AFTER ?= cdktf.out
REVIEW_SARIF ?= reports/policy-scan.sarif
REVIEW_MARKDOWN ?= reports/review-$(ENV).md
BASE_REV ?= origin/main

setup: $(ACTIONLINT)

$(ACTIONLINT): scripts/install-actionlint.sh mk/delivery.mk
	@ACTIONLINT_VERSION=$(ACTIONLINT_VERSION) scripts/install-actionlint.sh $@
	@touch $@

##@ Delivery
review: setup ## Review a change: make review [ENV=dev] [PLAN=reports/plan-dev.json]; Markdown in reports/review-<env>.md
	@$(PY) -m review $(if $(PLAN),--plan $(PLAN),--before $(REVIEW_BASE) --after $(REVIEW_AFTER)) --env $(ENV) \
		$(foreach sarif,$(wildcard $(REVIEW_SARIF)),--sarif $(sarif)) --markdown $(REVIEW_MARKDOWN)

review-base: setup ## Synthesize BASE_REV (default origin/main) into .local/cdktf.out.main for an offline review
	@ENVS="$(strip $(ENVS) $(ENV))" EXPIRES_ON=$(EXPIRES_ON) scripts/synth-base.sh $(BASE_REV) $(REVIEW_BASE)

plan-json: ## Terraform JSON of the plan the last `make diff ENV=<env>` saved: reports/plan-<env>.json
	@mkdir -p reports
	@terraform -chdir=cdktf.out/stacks/$(ENV) show -json plan > reports/plan-$(ENV).json
	@echo "plan-json: reports/plan-$(ENV).json (holds sensitive values: never upload it)"

save-plan: ## Keep the plan of the last `make diff ENV=<env>` in the environment's state container; prints its sha256
	@scripts/saved-plan.sh save $(ENV)

# synth: the configuration the plan was made from (synth is deterministic); the plan file
# itself carries it, and Terraform refuses a plan made against another state.
apply-plan: synth ## Apply exactly the saved, reviewed plan: make apply-plan ENV=prod PLAN_DIGEST=<sha256 from save-plan>
	@test -n "$(PLAN_DIGEST)" || { echo "apply-plan: PLAN_DIGEST is required (the sha256 save-plan printed)" >&2; exit 2; }
	@$(CDKTF_ENV) $(PY) -m infra.preflight $(ENV)
	@$(PROVIDER_LOCK)
	@scripts/saved-plan.sh restore $(ENV) $(PLAN_DIGEST)
	@terraform -chdir=cdktf.out/stacks/$(ENV) init -input=false
	@terraform -chdir=cdktf.out/stacks/$(ENV) apply -input=false -lock-timeout=$(LOCK_TIMEOUT) plan

sweep: setup ## Destroy ephemeral environments past their expires-on tag (dry run unless APPLY=1)
	@$(PY) -m review.sweep $(if $(APPLY),--apply)

lint-workflows: setup ## Lint .github/workflows with actionlint
	@$(ACTIONLINT) -color

bootstrap: setup ## State backends + deploying identities (infra/bootstrap): dry run; APPLY=1 deploys (a person, not CI)
	@$(PY) -m infra.bootstrap $(if $(APPLY),--check)
	$(if $(APPLY),@$(CDKTF_ENV) npx cdktf deploy bootstrap --auto-approve=false)
