"""Indicator forecasting and target feasibility for quality-development plans (see README.md)."""
