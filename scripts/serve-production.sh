#!/usr/bin/env bash
# Start the server a class uses (README, "Running it for a class"): waitress, tuned, in WORKERS processes,
# content and caches loaded before the first request. HOST (0.0.0.0), PORT (8000), WORKERS (2), THREADS (8),
# CONNECTION_LIMIT (1000), CHANNEL_TIMEOUT (30) from the environment; every CRM_* setting is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c 'import waitress, flask_compress' 2>/dev/null; then
  scripts/setup.sh
fi
.venv/bin/flask --app app check || echo "注意：内容检查发现问题（见上），有问题的章节会暂时不显示。"
exec .venv/bin/python scripts/production_server.py
