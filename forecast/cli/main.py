"""The `forecast` command: composes the sub-apps; heavy libraries load inside commands only."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

import typer

from forecast.cli import data, demo, history, plan, predict, refresh, replay, report, run, schedule, ui

app = typer.Typer(
    help="Indicator forecasting and target feasibility for quality-development plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    workspace: Optional[Path] = typer.Option(
        None,
        "--workspace",
        "-w",
        envvar="FORECAST_WORKSPACE",
        help="Workspace folder (database, MLflow store, reports). Default ./.forecast",
    ),
) -> None:
    """Forecast indicators, assess plan targets, report feasibility."""
    for name in ("alembic", "mlflow"):  # schema migrations and tracking chatter are not the user's business
        logging.getLogger(name).setLevel(logging.WARNING)


app.add_typer(data.app, name="data")
app.add_typer(plan.app, name="plan")
app.command()(run.run)
app.command()(predict.predict)
app.command()(report.report)
app.command()(ui.ui)
app.command()(demo.demo)
app.command()(refresh.refresh)
app.command()(history.history)
app.command()(replay.replay)
app.command()(schedule.schedule)

if __name__ == "__main__":
    app()
