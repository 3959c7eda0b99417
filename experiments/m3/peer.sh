#!/usr/bin/env bash
# Peer side of the M3 benchmark: run the shared peer forecasters (statsforecast models + naive) on
# one M3 group and score every forecast file with the shared, neutral scorer.
#
#   experiments/m3/peer.sh [YEARLY|QUARTERLY|MONTHLY]      (default YEARLY; run from the repo root)
#
# Environment:
#   PEER_VENV        virtualenv for the peers (default experiments/m3/.peer-venv); created if missing.
#                    statsforecast has its own pins, so it is kept apart from the project's env.
#   PEER_PYTHON      interpreter used to create the venv (default python3)
#   PEER_PACKAGES    what gets pip-installed into a new venv
#                    (default "statsforecast==2.1.1 pandas numpy", the version first benchmarked)
#   PEER_REPEATS     timed repeats per statsforecast model (default 1; the median is reported)
#   PEER_N_JOBS      worker processes for statsforecast (default 2)
#   SHARED_DIR       the shared data/tools checkout (default ../shared, relative to the repo root)
#
# Output, in experiments/m3/out/<group>/:
#   <model>.csv           contract forecast files (AutoETS, AutoTheta, AutoARIMA,
#                         DynamicOptimizedTheta, SF-Ensemble, Naive)
#   timing.json           statsforecast timing;  Naive.timing.json  naive timing
#   <model>.metrics.json  score.py report per forecast file
# Summarise with: python experiments/m3/peer_summary.py experiments/m3/out/<group>
set -euo pipefail

GROUP="${1:-YEARLY}"
GROUP="${GROUP^^}"
case "$GROUP" in
  YEARLY|QUARTERLY|MONTHLY) ;;
  *) echo "usage: $0 [YEARLY|QUARTERLY|MONTHLY]" >&2; exit 2 ;;
esac

# Work from the repository root whatever the caller's directory, so every path below is relative.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
EXP=experiments/m3
SHARED="${SHARED_DIR:-../shared}"
DATA="$SHARED/data/m3"
EVAL="$SHARED/tools/eval"
OUT="$EXP/out/$GROUP"
VENV="${PEER_VENV:-$EXP/.peer-venv}"
PACKAGES="${PEER_PACKAGES:-statsforecast==2.1.1 pandas numpy}"
REPEATS="${PEER_REPEATS:-1}"
N_JOBS="${PEER_N_JOBS:-2}"

for f in "$DATA/train.csv" "$DATA/test.csv" "$DATA/meta.csv" \
         "$EVAL/score.py" "$EVAL/peer_statsforecast.py" "$EVAL/peer_naive.py"; do
  [[ -f "$f" ]] || { echo "missing $f (expected the shared checkout at $SHARED)" >&2; exit 2; }
done

# (a) peer virtualenv
PY="$VENV/bin/python"
if ! [[ -x "$PY" ]] || ! "$PY" -c "import statsforecast, pandas, numpy" 2>/dev/null; then
  echo "== creating peer venv in $VENV ($PACKAGES)"
  "${PEER_PYTHON:-python3}" -m venv "$VENV"
  "$PY" -m pip install --quiet --upgrade pip
  # shellcheck disable=SC2086  # PACKAGES is a word list on purpose
  "$PY" -m pip install --quiet $PACKAGES
fi
echo "== peer env: $("$PY" -c 'import sys, statsforecast, pandas, numpy; print(f"python {sys.version.split()[0]}, statsforecast {statsforecast.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}")')"

# Start from an empty group folder so that only this run's files get scored.
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.json

start=$SECONDS
status=0

# (b) peers
echo "== statsforecast peers, $GROUP (n_jobs $N_JOBS, repeats $REPEATS)"
"$PY" "$EVAL/peer_statsforecast.py" --train "$DATA/train.csv" --meta "$DATA/meta.csv" \
  --group "$GROUP" --out "$OUT/{model}.csv" --n-jobs "$N_JOBS" --repeats "$REPEATS" || status=$?
# A failed model is reported in timing.json and left out; the others are still scored.

echo "== naive peer, $GROUP"
"$PY" "$EVAL/peer_naive.py" --train "$DATA/train.csv" --meta "$DATA/meta.csv" \
  --group "$GROUP" --out "$OUT/Naive.csv" || status=$?

peers_done=$SECONDS

# (c) scoring
echo "== scoring"
shopt -s nullglob
forecasts=("$OUT"/*.csv)
[[ ${#forecasts[@]} -gt 0 ]] || { echo "no forecast files in $OUT" >&2; exit 1; }
for fc in "${forecasts[@]}"; do
  model="$(basename "$fc" .csv)"
  "$PY" "$EVAL/score.py" --train "$DATA/train.csv" --test "$DATA/test.csv" --forecasts "$fc" \
    --meta "$DATA/meta.csv" --group "$GROUP" --model "$model" --dataset "M3" \
    --out "$OUT/$model.metrics.json" || status=$?
done

echo "== $GROUP done: peers $((peers_done - start))s, scoring $((SECONDS - peers_done))s, total $((SECONDS - start))s (venv setup excluded)"
echo "   summary: python $EXP/peer_summary.py $OUT"
exit "$status"
