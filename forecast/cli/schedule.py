"""`forecast schedule NAME`: print a scheduling example for `forecast refresh`."""

from __future__ import annotations

import typer

from forecast.cli.common import fail


def schedule(
    name: str = typer.Argument("cron", help="config | cron | systemd-service | systemd-timer | kubernetes"),
) -> None:
    """Print a tested example: refresh.yaml, a crontab, a systemd service and timer, a Kubernetes CronJob."""
    from forecast.deploy import example

    try:
        typer.echo(example(name), nl=False)
    except LookupError as exc:
        fail(str(exc))
