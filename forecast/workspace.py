"""Where runtime state lives: a workspace folder holding the database, MLflow store and reports."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

WORKSPACE_ENV = "FORECAST_WORKSPACE"
DB_URL_ENV = "FORECAST_DB_URL"  # e.g. postgresql+psycopg://user@host/forecast for a team


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def resolve(cls, path: str | Path | None = None) -> "Workspace":
        """Option beats environment beats the default `./.forecast`."""
        chosen = path or os.environ.get(WORKSPACE_ENV) or ".forecast"
        return cls(Path(chosen).expanduser().resolve())

    def ensure(self) -> "Workspace":
        self.root.mkdir(parents=True, exist_ok=True)
        self.reports_dir.mkdir(exist_ok=True)
        return self

    @property
    def db_url(self) -> str:
        return os.environ.get(DB_URL_ENV) or f"sqlite:///{self.root / 'forecast.db'}"

    @property
    def mlflow_db(self) -> Path:
        return self.root / "mlflow.db"

    @property
    def mlflow_artifacts(self) -> Path:
        return self.root / "mlartifacts"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"
