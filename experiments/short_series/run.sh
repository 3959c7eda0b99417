#!/usr/bin/env bash
# The short-history benchmark: M3 yearly cut to k = 4, 6, 8 points, h = 4; ours, the statsforecast
# peer (short-series variant) and Naive in one run, all scored by the shared scorer.
#   experiments/short_series/run.sh [KS...]        (default: 4 6 8; run from anywhere)
# Needs the project venv (`make setup`); the peer gets its own venv (PEER_VENV, created if missing).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
KS=("${@:-4 6 8}"); KS=(${KS[@]})
SHARED="${SHARED_DIR:-../shared}"
EVAL="$SHARED/tools/eval"
SETS=experiments/short_series/sets
VENV="${PEER_VENV:-experiments/short_series/.peer-venv}"
PY="$VENV/bin/python"
if ! [[ -x "$PY" ]] || ! "$PY" -c "import statsforecast" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$PY" -m pip install --quiet "statsforecast==2.1.1" pandas numpy
fi
.venv/bin/python "$EVAL/make_short.py" --data "$SHARED/data/m3" --name m3 --out "$SETS" --ks "${KS[@]}" --h 4
for k in "${KS[@]}"; do
  S="$SETS/m3-k$k"
  rm -rf "$S/out"; mkdir -p "$S/out"
  echo "== k=$k: statsforecast peer, Naive"
  "$PY" "$EVAL/peer_statsforecast_short.py" --train "$S/train.csv" --meta "$S/meta.csv" --group YEARLY \
    --out "$S/out/{model}.csv" --n-jobs 2
  "$PY" "$EVAL/peer_naive.py" --train "$S/train.csv" --meta "$S/meta.csv" --group YEARLY --out "$S/out/Naive.csv"
  echo "== k=$k: ours (with the prior), and as before it (pooled back-tests of the set alone)"
  .venv/bin/python experiments/short_series/ours.py --set "$S" --name Forecast --jobs 2
  .venv/bin/python experiments/short_series/ours.py --set "$S" --name Forecast-before --calibration local --jobs 2
  experiments/short_series/score_set.sh "$S" "M3 yearly, last $k points"
done
.venv/bin/python experiments/short_series/summary.py $(for k in "${KS[@]}"; do echo "$SETS/m3-k$k"; done) --reliability \
  --models Forecast Forecast-before SF-Ensemble AutoETS AutoTheta AutoARIMA DynamicOptimizedTheta Naive
