#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (Playwright's own browser download cannot work on
# this machine kind). Installs it when it is missing; needs root (or sudo) and Debian's mirrors.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Chromium is missing. Install it as root: apt-get update && apt-get install -y chromium" >&2
  echo "(or point CHROMIUM_PATH at a Chromium or Chrome executable)" >&2
  exit 1
fi
echo "Installing Debian's chromium for the end-to-end tests (apt-get install -y chromium)…"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
