# Policy-as-code: checkov + policies/checks over every synthesized environment and the bootstrap stack.
# `make scan` re-synthesizes only when cdktf.out/ is missing, lacks an environment, or is
# older than the code and configuration it is made from.

.PHONY: scan bench-scan policies-taggable policies-force

# The bootstrap stack (state backends, deploying identities) is scanned like an environment.
SCAN_ENVS = $(sort $(ENVS) $(ENV)) bootstrap
SCAN_STACKS = $(foreach env,$(SCAN_ENVS),cdktf.out/stacks/$(env)/cdk.tf.json)
SYNTH_INPUTS := cdktf.json $(shell find infra contract pipelines producer -type f \
	\( -name '*.py' -o -name '*.yaml' -o -name '*.sql' \) -not -path '*/__pycache__/*' 2>/dev/null)

cdktf.out/manifest.json: $(SYNTH_INPUTS) $(if $(filter-out $(wildcard $(SCAN_STACKS)),$(SCAN_STACKS)),policies-force)
	@$(MAKE) --no-print-directory synth

##@ Policies
scan: setup cdktf.out/manifest.json ## Policy scan of every environment (checkov + policies/); SARIF and JUnit in reports/
	@$(PY) -m policies.scan --outdir cdktf.out --reports reports --env $(SCAN_ENVS)

bench-scan: setup cdktf.out/manifest.json ## Wall time of `make scan`'s scan over all environments vs the 15 s target
	@$(PY) -m bench.scan --outdir cdktf.out --env $(SCAN_ENVS)

policies-taggable: setup ## Regenerate policies/azurerm_taggable.txt after an azurerm provider upgrade
	@$(PY) -m policies.taggable
