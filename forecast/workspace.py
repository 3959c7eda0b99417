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
    def resolve(cls, path: str | Path | None = None) -> Workspace:
        """Option beats environment beats the default `./.forecast`."""
        chosen = path or os.environ.get(WORKSPACE_ENV) or ".forecast"
        return cls(Path(chosen).expanduser().resolve())

    def ensure(self) -> Workspace:
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


def file_name(*parts: str, suffix: str = "") -> str:
    """One file-name component built from checked ids: ValueError when a part could leave its folder
    (a separator, `..`, a NUL, a control character) or the name passes 255 bytes."""
    name = "-".join(parts) + suffix
    bad = (
        "/" in name
        or "\\" in name
        or name in ("", ".", "..")
        or name.startswith(".")
        or any(not c.isprintable() for c in name)
    )
    if bad or len(name.encode("utf-8", "surrogateescape")) > 255:
        raise ValueError(f"{name[:80]!r} cannot be a file name in the workspace")
    return name


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused (ValueError) unless it is a single safe component that stays in `folder`."""
    path = Path(folder) / file_name(name)
    if path.resolve().parent != Path(folder).resolve():
        raise ValueError(f"{name[:80]!r} would be written outside {folder}")
    return path
