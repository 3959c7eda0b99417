#!/usr/bin/env bash
# The nested hold-out of M3 yearly (nested.py): each variant through the whole pipeline on the cut
# histories, scored on the cut years, then one table.
#   experiments/m3/nested.sh [VARIANTS]   (lines "name|candidates|combination"; default: the list below)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
SHARED="${SHARED_DIR:-../shared}"
NEST="experiments/m3/out/nested"
OUT="$NEST/forecasts"
[ -f "$NEST/pooled_ar.json" ] || .venv/bin/python experiments/m3/nested.py --shared "$SHARED" --out "$NEST"
mkdir -p "$OUT"
VARIANTS="${1:-/dev/stdin}"
if [ -z "${1:-}" ]; then
  VARIANTS="$(mktemp)"; trap 'rm -f "$VARIANTS"' EXIT
  cat > "$VARIANTS" <<'LIST'
N-mix4|rw_drift,theta,ets_damped,pooled_ar|mixture
N-mix5|rw_drift,theta,dotm,ets_damped,pooled_ar|mixture
N-mean4|rw_drift,theta,ets_damped,pooled_ar|mean
N-mean5|rw_drift,theta,dotm,ets_damped,pooled_ar|mean
N-median5|rw_drift,theta,dotm,ets_damped,pooled_ar|median
N-nothe-mean|rw_drift,dotm,ets_damped,pooled_ar|mean
N-nothe-mix|rw_drift,dotm,ets_damped,pooled_ar|mixture
LIST
fi
while IFS='|' read -r name models combine; do
  [ -z "$name" ] && continue
  .venv/bin/python experiments/m3/ours.py --data "$NEST" --out "$OUT" --pooled-map "$NEST/pooled_ar.json" \
    --group YEARLY --jobs 2 --models "$models" --combine "$combine" --name "$name" > "$OUT/$name.log"
  head -1 "$OUT/$name.log"
  .venv/bin/python "$SHARED/tools/eval/score.py" --train "$NEST/train.csv" --test "$NEST/test.csv" \
    --meta "$NEST/meta.csv" --group YEARLY --forecasts "$OUT/$name.csv" --model "$name" \
    --dataset "M3 yearly, nested" --out "$OUT/$name.metrics.json" > /dev/null
done < "$VARIANTS"
python3 experiments/m3/peer_summary.py "$OUT" --sort owa
