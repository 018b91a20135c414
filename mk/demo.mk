# `make demo`: the whole platform on this machine (demo/README.md). The Makefile's `demo`
# target runs `demo-run`; options: EVENTS=N (first batch), ENV=prod (inventory and graph
# shown), CLEAN=1 (empty local lake first), SEED=S.
.PHONY: demo-run chromium

##@ Main job
demo-run: setup jars ## The main job locally: synth, scan, produce, pipeline twice, report in reports/demo/
	@$(PY) -m demo --env $(ENV) --envs $(ENVS) --expires-on $(EXPIRES_ON) \
		$(if $(EVENTS),--events $(EVENTS)) $(if $(SEED),--seed $(SEED)) $(if $(CLEAN),--clean)

# The report test renders the HTML in headless Chromium: `make test` installs it first
# (Debian's chromium via apt-get, as root; says what to run otherwise).
test: chromium

chromium: ## Install Debian's chromium for the demo report's rendering test (once; needs root)
	@scripts/install-chromium.sh
