#!/usr/bin/env bash
# Synthesizes another revision (default: origin/main) into a separate output directory, so
# `make review` can diff this branch's configuration against it without any credentials.
# Read-only on the repository: the revision is exported with `git archive`, not checked out.
# Usage: scripts/synth-base.sh [REV] [OUTDIR]      (env: ENVS, EXPIRES_ON as for make synth)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
rev="${1:-origin/main}"
outdir="$(mkdir -p "${2:-.local/cdktf.out.main}" && cd "${2:-.local/cdktf.out.main}" && pwd)"
src="$(mktemp -d)"
trap 'rm -rf "$src"' EXIT
if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
  echo "synth-base: unknown revision $rev (fetch it first: git fetch origin main)" >&2
  exit 2
fi
echo "synth-base: synthesizing $(git rev-parse --short "$rev") ($rev) into $outdir"
git archive "$rev" | tar -x -C "$src"
rm -rf "$outdir"/stacks
if [ ! -d "$src/infra" ]; then
  # Before the infrastructure existed there is nothing to compare with: an empty output.
  mkdir -p "$outdir/stacks"
  echo "synth-base: $rev has no infra/: every resource will read as new"
  exit 0
fi
(cd "$src" && CDKTF_OUTDIR="$outdir" CLICKSTREAM_ENVS="${ENVS:-dev prod pr-42}" \
  CLICKSTREAM_EXPIRES_ON="${EXPIRES_ON:-$(date -u -d '+7 days' +%F)}" "$repo/.venv/bin/python" -m infra.app)
