#!/usr/bin/env bash
# Set up what the tests need (venv, test tools, Debian chromium + a Chinese font) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian…"
  ${SUDO:-} apt-get update -qq
  ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

.venv/bin/flask --app app check
exec .venv/bin/python -m pytest "$@"
