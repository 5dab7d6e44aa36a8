#!/usr/bin/env bash
# Set up everything the site needs: Python venv + packages, local browser assets, database.
# Usage: scripts/setup.sh [--dev]   (--dev adds test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
req=requirements.txt
[ "${1:-}" = "--dev" ] && req=requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"

# plotly.js partial bundle for the simulation pages: from the npm registry, pinned by package-lock.json.
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: installing Debian's npm (needs root)…"
  ${SUDO:-} apt-get update -qq && ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
fi
if [ ! -f node_modules/plotly.js-basic-dist-min/plotly-basic.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

.venv/bin/flask --app app migrate
