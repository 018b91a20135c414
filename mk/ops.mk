# Post-deploy verification and day-2 operations (ops/README.md).
# The stack outputs of ENV are read from OPS_OUTPUTS; `make outputs` (re)creates it.
OPS_OUTPUTS ?= cdktf.out/outputs-$(ENV).json

.PHONY: outputs verify ops

##@ Ops
outputs: setup ## Fetch the stack outputs of ENV into cdktf.out/outputs-ENV.json (needs Terraform and the state)
	@command -v terraform >/dev/null 2>&1 || { echo "outputs: terraform is not on PATH; install Terraform >= 1.11 (cdktf reads the state with it), or pass OPS_OUTPUTS=<file>" >&2; exit 2; }
	@mkdir -p $(dir $(OPS_OUTPUTS))
	@$(CDKTF_ENV) npx cdktf output $(ENV) --outputs-file $(OPS_OUTPUTS) || { echo "outputs: \`cdktf output $(ENV)\` failed (above). It needs \`terraform init\` to reach the provider registry and the state of $(ENV) (a deployed environment). Or pass OPS_OUTPUTS=<outputs file>." >&2; exit 2; }
	@echo "outputs: wrote $(OPS_OUTPUTS)"

verify: setup ## Prove a deployed environment works: make verify ENV=dev [ARGS="--json --skip gold"]
	@[ -f $(OPS_OUTPUTS) ] || $(MAKE) --no-print-directory outputs ENV=$(ENV) OPS_OUTPUTS=$(OPS_OUTPUTS)
	@$(PY) -m ops verify --env $(ENV) --outputs $(OPS_OUTPUTS) $(ARGS)

ops: setup ## Day-2 operations: make ops ENV=dev CMD="events -n 50" (backfill, pause, resume, events, quality)
	@[ -n "$(CMD)" ] || { echo 'ops: say what to do, e.g. make ops ENV=dev CMD="quality"' >&2; exit 2; }
	@[ -f $(OPS_OUTPUTS) ] || $(MAKE) --no-print-directory outputs ENV=$(ENV) OPS_OUTPUTS=$(OPS_OUTPUTS)
	@$(PY) -m ops $(CMD) --env $(ENV) --outputs $(OPS_OUTPUTS)
