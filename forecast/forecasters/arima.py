"""Automatic ARIMA (statsmodels SARIMAX) with a small, fast order search."""

from __future__ import annotations

import warnings

import numpy as np

from .base import Forecaster, ForecasterError, ParameterError, sigma_scale

KPSS_5PCT = 0.463  # level-stationarity KPSS critical value at 5% (Kwiatkowski et al. 1992)
SEASONAL_STRENGTH = 0.64  # seasonal difference above this STL seasonal strength (as R's nsdiffs)
MAX_ARMA = 2  # p + q at most this: short series cannot support more
MIN_ROOT = 1.01  # AR and MA roots must lie this far outside the unit circle (as R's auto.arima)
EXPLODED = 1e3  # paths straying this many data ranges from the last value are rejected, not used


class AutoARIMA(Forecaster):
    """ARIMA(p,d,q), or ARIMA(p,d,q)(0,D,0)_m for sub-annual series, chosen as R's auto.arima would.

    D (0 or 1) from the STL seasonal strength, when the series has two full seasons and enough
    left after differencing. d (up to max_d, with d + D <= 2) from repeated KPSS tests at 5%.
    Then p <= max_p, q <= max_q, p + q <= 2 and the deterministic term by AICc among the fits with
    a finite likelihood: a constant or a linear trend when d + D = 0, none or a drift when
    d + D = 1, none beyond. Warnings from the optimiser are silenced.
    Paths come from the fitted state space (`simulate`, anchored at the end of the sample); their
    deviations from the point forecast are scaled per path by a draw of sigma's estimation error.

    Fits with an AR or MA root within 1% of the unit circle are not candidates: on short yearly
    series the optimiser drives AR(2) to the boundary (coefficients 0 and 1, or 2 and -1) and the
    simulated paths exploded (back-test CRPS ~1e10). As a last guard, paths that stray more than
    `EXPLODED` times the data's range from the last value raise ForecasterError (reported per
    series like any failure), never enter a forecast.
    """

    name = "auto_arima"
    min_obs = 6
    seasonal = True

    def __init__(self, max_p: int = 2, max_q: int = 2, max_d: int = 2):
        self.max_p = max_p
        self.max_q = max_q
        self.max_d = max_d

    def _check_params(self):
        for key in ("max_p", "max_q", "max_d"):
            if not (isinstance(getattr(self, key), int) and getattr(self, key) >= 0):
                raise ParameterError(f"{key} must be a whole number >= 0, got {getattr(self, key)!r}")

    @classmethod
    def get_test_params(cls):
        return [{}, {"max_p": 1, "max_q": 0, "max_d": 1}]

    def _fit(self, y):
        self._search(y)

    def _search(self, y):
        m = self.season_length_
        nobs = len(y)
        D = 1 if m > 1 and nobs >= 2 * m + 3 and _seasonal_strength(y, m) > SEASONAL_STRENGTH else 0
        z = y[m:] - y[:-m] if D else y
        d = _ndiffs(z, max_d=min(self.max_d, 2 - D, max(len(z) - 4, 0)))
        seasonal_order = (0, D, 0, m) if D else (0, 0, 0, 0)
        # SARIMAX's 'c' is a constant in the differenced equation: a mean, or once differenced a drift.
        deterministic = {0: ("c", "ct"), 1: ("n", "c")}.get(d + D, ("n",))
        n_eff = nobs - d - D * m
        best = None
        for p in range(self.max_p + 1):
            for q in range(min(self.max_q, MAX_ARMA - p) + 1):
                for trend in deterministic:
                    k = p + q + len(trend.strip("n")) + 1  # + sigma^2
                    if n_eff - k - 1 < 2:  # AICc's penalty 2k(k+1)/(n-k-1) rules it out anyway
                        continue
                    result = _fit_sarimax(y, (p, d, q), seasonal_order, trend)
                    if result is not None and (best is None or result.aicc < best[0]):
                        best = (float(result.aicc), (p, d, q), trend, result)
        if best is None:
            raise ForecasterError(f"no ARIMA model with d={d}, D={D} could be fitted")
        self.aicc_, self.order_, self.trend_, self.result_ = best
        self.seasonal_order_ = seasonal_order
        # sigma^2 is estimated from the effective observations less the mean parameters
        self.dof_ = max(int(self.result_.nobs_effective) - (len(self.result_.params) - 1), 1)

    def _sample(self, h, n, rng):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sims = self.result_.simulate(nsimulations=h, repetitions=n, anchor="end", rng=rng)
            mean = np.asarray(self.result_.forecast(h), dtype=float)
        sims = np.asarray(sims, dtype=float).reshape(h, n).T
        # Linear Gaussian model: each path's deviation from the forecast is proportional to sigma.
        paths = mean + (sims - mean) * sigma_scale(self.dof_, n, rng)
        y = self.result_.model.endog[:, 0]
        if np.abs(paths - y[-1]).max() > EXPLODED * max(np.ptp(y), np.abs(y).max() * 1e-6, 1e-12):
            raise ForecasterError(
                f"ARIMA{self.order_} paths exploded (more than {EXPLODED:g} data ranges from the last value); not used"
            )
        return paths


def _fit_sarimax(y, order, seasonal_order, trend):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and start-parameter chatter; judged by AICc below
        try:
            model = SARIMAX(y, order=order, seasonal_order=seasonal_order, trend=trend)
            # factr 1e10: stop once the likelihood changes by < 2e-6 relatively, AICc to ~0.01;
            # the default (1e7) spends up to twice the evaluations on flat short-series likelihoods.
            result = model.fit(disp=False, factr=1e10, cov_type="none")
        except (ValueError, np.linalg.LinAlgError):
            return None
    if not (np.isfinite(result.aicc) and np.all(np.isfinite(result.params))):
        return None
    roots = np.concatenate([np.atleast_1d(result.arroots), np.atleast_1d(result.maroots)])
    if roots.size and np.abs(roots).min() < MIN_ROOT:  # at the edge of stationarity or invertibility
        return None
    return result


def _ndiffs(x: np.ndarray, max_d: int) -> int:
    """Differences needed for level stationarity: KPSS at 5%, short lag window, as R's ndiffs."""
    from statsmodels.tsa.stattools import kpss

    d = 0
    while d < max_d and len(x) >= 4 and np.ptp(x) > 0:
        lags = min(int(4 * (len(x) / 100) ** 0.25), len(x) - 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # p-value interpolation outside the table; unused
            try:
                stat = kpss(x, regression="c", nlags=lags, result_object=False)[0]
            except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
                break
        if not stat > KPSS_5PCT:
            break
        x = np.diff(x)
        d += 1
    return d


def _seasonal_strength(y: np.ndarray, m: int) -> float:
    """Hyndman & Athanasopoulos' F_s = max(0, 1 - var(remainder) / var(seasonal + remainder)), STL."""
    from statsmodels.tsa.seasonal import STL

    decomposition = STL(y, period=m, robust=False).fit()
    detrended = decomposition.seasonal + decomposition.resid
    spread = np.var(detrended)
    return 0.0 if spread <= 0 else max(0.0, 1 - np.var(decomposition.resid) / spread)
