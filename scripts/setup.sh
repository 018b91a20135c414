#!/usr/bin/env bash
# Installs everything the repo needs, idempotently: Python packages (from Pipfile.lock:
# pipenv reads the lock, uv installs it, hashes checked), the cdktf CLI and Azurite (npm,
# from package-lock.json). Says exactly which prerequisite is missing instead of failing
# halfway.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

py_version=$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo none)
if [ "$py_version" = none ] || ! version_at_least "$py_version" 3.11; then
  missing+=("Python >= 3.11 (found: $py_version) - install python3.11")
fi
node_version=$(node --version 2>/dev/null | sed 's/^v//' || true)
if [ -z "$node_version" ] || ! version_at_least "$node_version" 20.9; then
  missing+=("Node.js >= 20.9 (found: ${node_version:-none}) - install nodejs 20 LTS")
fi
java_version=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' || true)
if [ -z "$java_version" ] || ! version_at_least "${java_version%%_*}" 17; then
  missing+=("Java >= 17 (found: ${java_version:-none}) - install openjdk-17-jre-headless (Spark needs it)")
fi
if ! command -v mvn >/dev/null 2>&1; then
  missing+=("Maven (mvn) - install maven (it fetches the Delta Lake jars from Maven Central)")
fi
tf_version=$(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || true)
if [ -z "$tf_version" ] || ! version_at_least "$tf_version" 1.11; then
  missing+=("Terraform >= 1.11 (found: ${tf_version:-none}) - install it from https://developer.hashicorp.com/terraform/install (apt: the HashiCorp repository; or unzip the release binary onto PATH); make validate and make test run it offline")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

# npm and Python packages install side by side (both mostly wait on downloads).
npm_pid=
if [ ! -f node_modules/.synced ] || [ package-lock.json -nt node_modules/.synced ]; then
  echo "setup: installing npm packages from package-lock.json in the background (cdktf-cli, azurite; first run only: about 40 s)"
  { npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.synced; } &
  npm_pid=$!
fi

export PIPENV_VENV_IN_PROJECT=1 PIPENV_VERBOSITY=-1 PIPENV_NOSPIN=1
# pipenv owns the lock (`pipenv lock`, `pipenv requirements`); uv installs from it: the same
# pinned, hash-checked packages in about 30 s instead of pipenv's 2-3 minutes.
for tool in "pipenv==2026.10.3" "uv==0.13.8"; do
  if ! python3 -m "${tool%%==*}" --version >/dev/null 2>&1; then
    echo "setup: installing ${tool}"
    python3 -m pip install --quiet --user "$tool" || python3 -m pip install --quiet "$tool"
  fi
done

if [ ! -f .venv/.synced ] || [ Pipfile.lock -nt .venv/.synced ]; then
  echo "setup: installing Python packages from Pipfile.lock (first run only: about 30-60 s, the provider bindings are large)"
  [ -x .venv/bin/python ] || python3 -m uv venv --quiet --python python3 .venv
  python3 -m pipenv requirements --dev --hash > .venv/requirements.txt
  python3 -m uv pip sync --quiet --compile-bytecode --python .venv/bin/python --require-hashes .venv/requirements.txt
  touch .venv/.synced
fi

if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
  echo "setup: npm ci failed (its output is above)" >&2
  exit 1
fi
echo "setup: ok (python $py_version, node $node_version, java $java_version, terraform $tf_version)"
