"""The refresh configuration file (`refresh.yaml`): where new observations come from and how to run.

Relative paths are read relative to the configuration file, so a scheduler can start the job from
any directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forecast import defaults


class ConfigError(Exception):
    """The configuration cannot be used; names the file and the key."""


class SqlSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    url: str = Field(min_length=1, description="SQLAlchemy URL; ${VAR} is taken from the environment")
    query: str = Field(min_length=1, description="returns series_id, ds, y [, known_at, unit, source]")


class RefreshConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    drop_folder: Optional[Path] = None  # CSV/XLSX files; moved to processed/ or rejected/ beside them
    sql: list[SqlSource] = Field(default_factory=list)
    indicators: Optional[Path] = None  # indicator metadata YAML registered before validation
    plans: Optional[list[str]] = None  # default: every plan in the store
    models: Optional[list[str]] = None  # default: the catalogue's
    n_paths: int = Field(default=defaults.N_PATHS, ge=100)
    seed: int = defaults.SEED
    langs: list[Literal["zh", "en"]] = Field(default_factory=lambda: list[Literal["zh", "en"]](["zh"]), min_length=1)
    track: bool = True
    engine: Literal["local", "spark", "dask"] = "local"  # where the per-series work of the runs goes
    jobs: Optional[int] = Field(default=None, ge=1)  # local worker processes (default: all cores)
    spark_master: Optional[str] = None  # for engine spark (default: $SPARK_MASTER, else local[*])
    dask_scheduler: Optional[str] = None  # for engine dask (default: $DASK_SCHEDULER_ADDRESS, else a local cluster)
    report_by: Optional[Literal["region", "concept"]] = None  # reports in parts: one per region (county)

    def resolve(self, base: Path) -> RefreshConfig:
        def at(p: Optional[Path]) -> Optional[Path]:
            return None if p is None else (p if p.is_absolute() else base / p)

        return self.model_copy(update={"drop_folder": at(self.drop_folder), "indicators": at(self.indicators)})


def load_config(path: Optional[Path]) -> RefreshConfig:
    """The configuration in `path`, or the defaults (no sources: re-run every plan) without one."""
    if path is None:
        return RefreshConfig()
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the refresh configuration: {exc}") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    try:
        config = RefreshConfig.model_validate(doc)
    except ValidationError as exc:
        lines = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ConfigError(f"{path}: invalid refresh configuration:\n  " + "\n  ".join(lines)) from None
    return config.resolve(path.resolve().parent)
