"""Scheduling examples for `forecast refresh` (printed by `forecast schedule NAME`)."""

from __future__ import annotations

from importlib import resources

EXAMPLES = {
    "config": "refresh.example.yaml",
    "cron": "forecast-refresh.cron",
    "systemd-service": "forecast-refresh.service",
    "systemd-timer": "forecast-refresh.timer",
    "kubernetes": "forecast-refresh-cronjob.yaml",
}


def example(name: str) -> str:
    if name not in EXAMPLES:
        raise LookupError(f"no example {name!r}: choose one of {', '.join(EXAMPLES)}")
    return resources.files(__name__).joinpath(EXAMPLES[name]).read_text(encoding="utf-8")
