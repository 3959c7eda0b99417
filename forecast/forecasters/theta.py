"""The Theta method (statsmodels ThetaModel), simulated as the SES-with-drift model it is equivalent to."""

from __future__ import annotations

import warnings

import numpy as np

from .base import Forecaster, ForecasterError, ParameterError, sigma_scale


class Theta(Forecaster):
    """Standard Theta: SES plus half the OLS slope (theta=2), on deseasonalised data when seasonal.

    Sub-annual series with at least two full seasons are deseasonalised by classical decomposition
    (multiplicative when every value is positive, additive otherwise) if ThetaModel's seasonality
    test at the seasonal lag rejects. ThetaModel has no simulate: its point forecast is that of SES
    with drift (Hyndman & Billah 2003), so paths follow that state space on the deseasonalised
    scale, level_{k+1} = level_k + alpha * e_k and y_k = level_k + drift term + e_k, with sigma
    from the in-sample one-step errors of the Theta forecast and drawn per path from its posterior.
    """

    name = "theta"
    min_obs = 3
    seasonal = True

    def __init__(self, theta: float = 2.0):
        self.theta = theta

    def _check_params(self):
        if not self.theta >= 1:
            raise ParameterError(f"theta must be >= 1, got {self.theta!r}")

    @classmethod
    def get_test_params(cls):
        return [{}, {"theta": 3.0}]

    def _fit(self, y):
        m = self.season_length_
        nobs = self.nobs_ = len(y)
        if np.ptp(y) == 0:
            # ThetaModel's trend regression breaks on a constant series (add_trend skips the
            # intercept it already sees in y, and the slope comes out nonzero): forecast the constant.
            self.b0_, self.alpha_, self.one_step_ = 0.0, 1.0, float(y[-1])
            self.multiplicative_, self.season_ = False, None
        else:
            self._fit_theta_model(y, m, deseasonalize=m > 1 and nobs >= 2 * m)

        # In-sample one-step errors of the Theta forecast itself, on the deseasonalised scale:
        # origin t (t observations seen) forecasts level_t + w * b0 * (1 - (1 - alpha)^t) / alpha.
        z = self._deseasonalize(y)
        alpha, weight = self.alpha_, self._trend_weight()
        level, errors = z[0], np.empty(nobs - 1)  # SES starts at the first value: no error there
        for t in range(1, nobs):
            drift = weight * self.b0_ * (1 - (1 - alpha) ** t) / alpha if alpha > 0 else 0.0
            errors[t - 1] = z[t] - level - drift
            level += alpha * (z[t] - level)
        self.residuals_ = errors
        self.dof_ = max(len(errors) - 2, 1)  # alpha and the slope are estimated
        self.sigma_ = float(np.sqrt(np.sum(errors**2) / self.dof_))

    def _fit_theta_model(self, y, m, deseasonalize):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        kwargs = {"deseasonalize": False}
        if deseasonalize:
            kwargs = {"deseasonalize": True, "period": m, "method": "multiplicative" if y.min() > 0 else "additive"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optimiser chatter on short series
            try:
                result = ThetaModel(y, **kwargs).fit()
                components = result.forecast_components(max(m, 1))
            except (ValueError, np.linalg.LinAlgError) as exc:
                raise ForecasterError(f"Theta fit failed: {exc}") from None
        self.b0_, self.alpha_ = (float(v) for v in np.asarray(result.params))
        self.one_step_ = float(components["ses"].iloc[0])  # SES level at the end of the sample
        self.multiplicative_ = deseasonalize and result.model.method.startswith("mul")
        # season_[j]: seasonal term j steps after the sample's end (identity if none was found).
        self.season_ = components["seasonal"].to_numpy(dtype=float) if deseasonalize else None
        if not (
            np.isfinite([self.b0_, self.alpha_, self.one_step_]).all()
            and (self.season_ is None or np.isfinite(self.season_).all())
        ):
            raise ForecasterError("Theta fit produced non-finite parameters")

    def _trend_weight(self) -> float:
        return (self.theta - 1) / self.theta if self.theta < 4.0 / np.finfo(float).eps else 1.0

    def _seasonal_terms(self, steps: np.ndarray) -> np.ndarray:
        """Seasonal term at 0-based offsets from the first forecast period (negative: in-sample)."""
        return self.season_[np.mod(steps, len(self.season_))]

    def _deseasonalize(self, y: np.ndarray) -> np.ndarray:
        if self.season_ is None:
            return y
        s = self._seasonal_terms(np.arange(len(y)) - len(y))
        return y / s if self.multiplicative_ else y - s

    def _mean(self, h: int) -> np.ndarray:
        """Deseasonalised forecast: the SES level plus the weighted drift, as ThetaModel computes it."""
        k = np.arange(h, dtype=float)
        if self.alpha_ > 0:
            k += 1 / self.alpha_ - (1 - self.alpha_) ** self.nobs_ / self.alpha_
        return self.one_step_ + self._trend_weight() * self.b0_ * k

    def point_forecast(self, h: int) -> np.ndarray:
        """ThetaModelResults.forecast(h, theta), from the stored parameters (the paths' median)."""
        return self._reseasonalize(self._mean(h))

    def _reseasonalize(self, z: np.ndarray) -> np.ndarray:
        if self.season_ is None:
            return z
        s = self._seasonal_terms(np.arange(z.shape[-1]))
        return z * s if self.multiplicative_ else z + s

    def _sample(self, h, n, rng):
        shocks = (self.sigma_ * sigma_scale(self.dof_, n, rng)) * rng.standard_normal((n, h))
        # y_{T+k} = level_{T+k-1} + drift_k + e_k, level_{T+k} = level_{T+k-1} + alpha * e_k
        earlier = np.cumsum(shocks, axis=1) - shocks
        return self._reseasonalize(self._mean(h) + shocks + self.alpha_ * earlier)
