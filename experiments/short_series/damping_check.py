"""Side check: would damping the mixture median toward the last value pay on short histories?

    .venv/bin/python experiments/short_series/damping_check.py

Per scale and k, the corpus-wide best phi in median = last + phi (median - last) by mean absolute
scaled error, its gain over phi = 1, and the best phi of each source (they disagree).
"""

import sys

import numpy as np
import pandas as pd

sys.path.insert(0, "experiments/short_series")
from build_prior import mixture

from forecast.evaluation.combine import pooled_weights

c = pd.read_parquet("experiments/short_series/out/corpus.parquet")
c = c[np.isfinite(c.scale) & (c.scale > 0)]
grid = np.linspace(0, 1.3, 27)
for scale in ("free", "positive"):
    for k in (3, 4, 5, 6, 8, 10):
        rows = c[(c.scale_class == scale) & (c.k == k)]
        w = pooled_weights(rows)
        w = w[w > 0]
        m = mixture(rows, w)
        last = rows.drop_duplicates(["series_id", "step"]).set_index(["series_id", "step"])["last"]
        m["last"] = last.reindex(pd.MultiIndex.from_frame(m[["series_id", "step"]])).to_numpy()
        out = []
        for st in (1, 2, 4, 6):
            g = m[m.step == st]
            errs = [np.mean(np.abs(g.y - (g["last"] + p * (g["median"] - g["last"]))) / g.scale) for p in grid]
            srcs = {
                s: grid[
                    np.argmin(
                        [
                            np.mean(np.abs(gg.y - (gg["last"] + p * (gg["median"] - gg["last"]))) / gg.scale)
                            for p in grid
                        ]
                    )
                ]
                for s, gg in g.assign(
                    src=rows.drop_duplicates("series_id")
                    .set_index("series_id")
                    .reindex(g.series_id)["source"]
                    .to_numpy()
                ).groupby("src")
            }
            out.append(f"h{st}: phi={grid[np.argmin(errs)]:.2f} gain={1 - min(errs) / errs[20]:.3f} {srcs}")
        print(scale, k, " | ".join(out))
