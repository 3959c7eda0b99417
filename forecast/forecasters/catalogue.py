"""The model catalogue (`models/catalogue.yaml`): named candidates with their settings.

Found the same way from any folder: a workspace's own `models/catalogue.yaml` when it has one,
else the project's catalogue installed with the package. A run records which file it used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml

from forecast.forecasters import REGISTRY, Forecaster, ParameterError, build

WORKSPACE_FILE = Path("models") / "catalogue.yaml"  # relative to a workspace's root


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Catalogue:
    candidates: dict[str, dict]  # name -> {"model": registered model, "params": constructor settings}
    default: list[str]  # the candidates a run uses when none are named
    source: str  # the file they came from

    def instantiate(self, names: Optional[Sequence[str]] = None) -> dict[str, Forecaster]:
        """Fresh forecasters for the named candidates (default: the catalogue's default list)."""
        out = {}
        for name in names or self.default:
            if name not in self.candidates:
                raise CatalogueError(
                    f"unknown model {name!r}; known: {', '.join(self.candidates)} (from {self.source})"
                )
            spec = self.candidates[name]
            try:
                out[name] = build(spec["model"], **spec["params"])
            except (TypeError, ParameterError) as exc:
                raise CatalogueError(f"candidate {name!r}: bad settings {spec['params']}: {exc}") from None
        return out


def installed() -> Path:
    """The project's catalogue as installed with the package (`models/catalogue.yaml`)."""
    return Path(str(resources.files("forecast.forecasters").joinpath("catalogue.yaml"))).resolve()


def locate(workspace_root: Optional[Path] = None) -> Path:
    """The catalogue a workspace runs with: its own `models/catalogue.yaml`, else the installed one."""
    if workspace_root is not None and (Path(workspace_root) / WORKSPACE_FILE).is_file():
        return Path(workspace_root) / WORKSPACE_FILE
    return installed()


def load(path: Optional[Path] = None) -> Catalogue:
    """The catalogue in `path` (default: the installed one)."""
    chosen = Path(path) if path else installed()
    if not chosen.is_file():
        raise CatalogueError(f"{chosen}: catalogue file not found")
    try:
        doc = yaml.safe_load(chosen.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{chosen}: not valid YAML: {exc}") from None
    candidates = {}
    for name, spec in (doc.get("candidates") or {}).items():
        spec = dict(spec or {})
        model = spec.pop("model", name)
        if model not in REGISTRY:
            raise CatalogueError(
                f"{chosen}: candidate {name!r} names unknown model {model!r} (known: {', '.join(REGISTRY)})"
            )
        candidates[name] = {"model": model, "params": spec}
    default = list(doc.get("default") or candidates)
    unknown = [d for d in default if d not in candidates]
    if unknown:
        raise CatalogueError(f"{chosen}: default lists candidates not defined: {', '.join(unknown)}")
    return Catalogue(candidates, default, str(chosen))


def instantiate(names: Optional[Sequence[str]] = None, path: Optional[Path] = None) -> dict[str, Forecaster]:
    """Fresh forecasters for the named candidates of the catalogue in `path` (default: the installed one)."""
    return load(path).instantiate(names)
