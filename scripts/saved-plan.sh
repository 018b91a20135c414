#!/usr/bin/env bash
# The plan file that reviewers approved is the one applied. It holds sensitive values in
# clear, so it never becomes a workflow artifact: it is kept in the environment's own state
# container, which only that environment's deploying identity can read (infra/trust.py).
#   saved-plan.sh save ENV              upload cdktf.out/stacks/ENV/plan; prints (and outputs) its sha256
#   saved-plan.sh restore ENV SHA256    download it back there; refuses any other content
set -euo pipefail
action=${1:?save|restore} env=${2:?environment}
plan=cdktf.out/stacks/$env/plan
blob="plans/${GITHUB_RUN_ID:?run id: saved plans belong to a workflow run}/$env.tfplan"
read -r account container < <(.venv/bin/python -c "
import sys; from infra.config import load_environment
backend = load_environment(sys.argv[1]).backend
if backend is None: sys.exit('saved-plan: no remote state configured (CLICKSTREAM_REMOTE_STATE=true)')
print(backend.storage_account, backend.container)" "$env")

case $action in
  save)
    digest=$(sha256sum "$plan" | cut -d' ' -f1)
    az storage blob upload --auth-mode login --account-name "$account" --container-name "$container" \
      --name "$blob" --file "$plan" --overwrite false --only-show-errors >/dev/null
    echo "saved-plan: $account/$container/$blob sha256 $digest"
    [ -z "${GITHUB_OUTPUT:-}" ] || echo "digest=$digest" >> "$GITHUB_OUTPUT"
    ;;
  restore)
    expected=${3:?sha256 of the reviewed plan}
    az storage blob download --auth-mode login --account-name "$account" --container-name "$container" \
      --name "$blob" --file "$plan" --overwrite true --only-show-errors >/dev/null
    actual=$(sha256sum "$plan" | cut -d' ' -f1)
    if [ "$actual" != "$expected" ]; then
      rm -f "$plan"
      echo "saved-plan: $blob has sha256 $actual, the reviewed plan had $expected: not applying" >&2
      exit 1
    fi
    echo "saved-plan: restored the reviewed plan ($expected)"
    ;;
  *) echo "usage: saved-plan.sh save|restore ENV [SHA256]" >&2; exit 2 ;;
esac
