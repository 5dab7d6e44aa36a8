#!/usr/bin/env bash
# Set up (idempotent) and start the site on the embedded SQLite store at http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/flask --app app check || echo "注意：内容检查发现问题（见上），有问题的章节会暂时不显示。"
exec .venv/bin/flask --app app run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
