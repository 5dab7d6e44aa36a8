#!/usr/bin/env bash
# Start the server a class uses (README, "Running it for a class"): waitress, tuned, in WORKERS pre-forked
# processes; the content is checked (as `flask check`) and every cache is loaded before the first request.
# HOST (0.0.0.0), PORT (8000), WORKERS (two per core, at most 16), THREADS (1), CONNECTION_LIMIT (1000), CHANNEL_TIMEOUT (30),
# GIL_SWITCH_US (1000)
# come from the environment; every CRM_* setting is read by the app (README, settings and limits tables).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/waitress-serve ] || ! compgen -G ".venv/lib/python3*/site-packages/flask_compress" >/dev/null; then
  scripts/setup.sh
fi
exec .venv/bin/python scripts/production_server.py
