#!/usr/bin/env bash
# Score every forecast file in SET/out with the shared scorer: experiments/short_series/score_set.sh SET [LABEL]
set -euo pipefail
SET="$1"; LABEL="${2:-$(basename "$SET")}"
SHARED="${SHARED_DIR:-../shared}"
PY="${SCORE_PYTHON:-.venv/bin/python}"
for fc in "$SET"/out/*.csv; do
  model="$(basename "$fc" .csv)"
  "$PY" "$SHARED/tools/eval/score.py" --train "$SET/train.csv" --test "$SET/test.csv" --forecasts "$fc" \
    --meta "$SET/meta.csv" --group YEARLY --model "$model" --dataset "$LABEL" --out "$SET/out/$model.metrics.json" >/dev/null
done
