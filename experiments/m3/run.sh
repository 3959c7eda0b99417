#!/usr/bin/env bash
# The M3 benchmark, ours and the peers in one run, scored by the same neutral scorer.
#   experiments/m3/run.sh [YEARLY|QUARTERLY|MONTHLY] [extra args for ours.py]
# Needs `make setup` first (the project venv); the peers get their own venv (see peer.sh).
set -euo pipefail
GROUP="${1:-YEARLY}"; shift || true
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
SHARED="${SHARED_DIR:-../shared}"
OUT="experiments/m3/out/$GROUP"
experiments/m3/peer.sh "$GROUP"                      # peers + their scores (empties $OUT first)
.venv/bin/python experiments/m3/ours.py --group "$GROUP" "$@"
.venv/bin/python "$SHARED/tools/eval/score.py" --train "$SHARED/data/m3/train.csv" --test "$SHARED/data/m3/test.csv" \
  --forecasts "$OUT/Forecast.csv" --meta "$SHARED/data/m3/meta.csv" --group "$GROUP" --model Forecast \
  --dataset M3 --out "$OUT/Forecast.metrics.json"
python3 experiments/m3/peer_summary.py "$OUT" --sort owa
