#!/usr/bin/env bash
# Installs Debian's `chromium` (headless browser the demo report test renders the HTML in),
# idempotently: nothing happens when a chromium binary is already on PATH.
# Needs root (apt-get); as another user it says what to run instead of failing halfway.
set -euo pipefail

for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no chromium on PATH and no apt-get here; install Chromium (or Chrome)" \
       "and put it on PATH as 'chromium'" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: chromium is missing and installing it needs root; run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi

echo "install-chromium: installing Debian's chromium (headless report test; once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-chromium: $(chromium --version)"
