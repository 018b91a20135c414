#!/usr/bin/env bash
# Installs actionlint (the GitHub Actions workflow linter the workflow tests run) into
# .local/bin from the Go module proxy, at the version mk/delivery.mk pins.
# Usage: scripts/install-actionlint.sh <target path>   (ACTIONLINT_VERSION=1.7.12)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-.local/bin/actionlint}"
version="${ACTIONLINT_VERSION:?set ACTIONLINT_VERSION}"
if [ -x "$target" ] && "$target" -version 2>/dev/null | head -1 | grep -qx "v\?$version"; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "setup: missing prerequisite: Go >= 1.25 (actionlint $version, used by tests/workflows, is a Go module) - install golang" >&2
  exit 1
fi
echo "setup: installing actionlint $version into $(dirname "$target")"
mkdir -p "$(dirname "$target")"
GOBIN="$(cd "$(dirname "$target")" && pwd)" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@v$version"
"$target" -version | head -1
