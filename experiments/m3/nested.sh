#!/usr/bin/env bash
# The nested hold-out of M3 yearly (nested.py): each variant through the whole pipeline on the cut
# histories, scored on the cut years, then one table.
#   experiments/m3/nested.sh [VARIANTS]   (lines "name|candidates|combination"; default: nested_variants.txt)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
SHARED="${SHARED_DIR:-../shared}"
NEST="experiments/m3/out/nested"
OUT="$NEST/forecasts"
[ -f "$NEST/pooled_ar.json" ] || .venv/bin/python experiments/m3/nested.py --shared "$SHARED" --out "$NEST"
mkdir -p "$OUT"
VARIANTS="${1:-$HERE/nested_variants.txt}"
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
