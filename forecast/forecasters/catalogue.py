"""The model catalogue (`models/catalogue.yaml`): named candidates with their settings.

Found the same way from any folder: a workspace's own `models/catalogue.yaml` when it has one,
else the project's catalogue installed with the package. A run records which file it used.

The default may differ by series frequency (`default: {Y: [...], Q: [...], M: [...], D: [...]}`): the
models that forecast yearly data best are not those that forecast monthly data best. A series' own
frequency (the one it is simulated at) chooses its candidates, also where its back-tests run on
annual values. A series short enough for the prior of short histories (forecast.evaluation.prior)
runs the catalogue's `short` list instead, whatever its frequency: its weights are the prior's, and
the prior was learned over those candidates (default: the yearly default). Candidates named by the
caller (`--models`) run on every series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional, TypeVar

import yaml

from forecast.forecasters import REGISTRY, Forecaster, ParameterError, build

WORKSPACE_FILE = Path("models") / "catalogue.yaml"  # relative to a workspace's root
FREQUENCIES = ("Y", "Q", "M", "D")  # the series frequencies a default names candidates for
SHORT = "short"  # the key of `Catalogue.uses` for the series the short-history prior covers

M = TypeVar("M")


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Catalogue:
    candidates: dict[str, dict]  # name -> {"model": registered model, "params": constructor settings}
    default: dict[str, list[str]]  # series frequency -> the candidates a run uses on it when none are named
    source: str  # the file they came from
    short: list[str]  # what series the short-history prior covers run

    def names(self, names: Optional[Sequence[str]] = None) -> list[str]:
        """The candidates a run builds: the named ones, else every default's (frequencies', short), in order."""
        if names:
            return list(names)
        return list(dict.fromkeys(n for listed in [*self.default.values(), self.short] for n in listed))

    def uses(self, names: Optional[Sequence[str]] = None) -> Optional[dict[str, tuple[str, ...]]]:
        """Which candidates the series of each frequency use, and the short ones (`SHORT`; see
        `for_series`): the default's lists, or None when candidates are named (then every series uses
        all of them)."""
        if names:
            return None
        return {**{code: tuple(listed) for code, listed in self.default.items()}, SHORT: tuple(self.short)}

    def instantiate(self, names: Optional[Sequence[str]] = None) -> dict[str, Forecaster]:
        """Fresh forecasters for the named candidates (default: all that `names` lists)."""
        out = {}
        for name in self.names(names):
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
    default = _default(doc.get("default") or list(candidates), chosen)
    short = doc.get("short", default["Y"])
    if not isinstance(short, list) or not short:
        raise CatalogueError(f"{chosen}: short must be a non-empty list of candidates")
    short = [str(n) for n in short]
    unknown = list(dict.fromkeys(n for listed in [*default.values(), short] for n in listed if n not in candidates))
    if unknown:
        raise CatalogueError(f"{chosen}: default or short lists candidates not defined: {', '.join(unknown)}")
    return Catalogue(candidates, default, str(chosen), short)


def _default(value, path: Path) -> dict[str, list[str]]:
    """The default of each frequency: one list for all, or a list per frequency naming every one."""
    if isinstance(value, list):
        return {code: [str(n) for n in value] for code in FREQUENCIES}
    if not isinstance(value, dict):
        raise CatalogueError(f"{path}: default must be a list of candidates or one list per frequency")
    odd = [str(k) for k in value if k not in FREQUENCIES]
    missing = [code for code in FREQUENCIES if not value.get(code)]
    if odd or missing:
        raise CatalogueError(
            f"{path}: default by frequency needs a non-empty list for each of {', '.join(FREQUENCIES)}"
            + (f"; unknown keys: {', '.join(odd)}" if odd else "")
            + (f"; missing or empty: {', '.join(missing)}" if missing else "")
        )
    for code in FREQUENCIES:
        if not isinstance(value[code], list):
            raise CatalogueError(f"{path}: default {code} must be a list of candidates")
    return {code: [str(n) for n in value[code]] for code in FREQUENCIES}


def for_series(
    models: Mapping[str, M], uses: Optional[Mapping[str, Sequence[str]]], code: str, short: bool = False
) -> dict[str, M]:
    """The candidates a series of frequency `code` (Y, Q, M, D) runs: all of `models`, or the ones
    `uses` (`Catalogue.uses`) gives its frequency, or the short list when the short-history prior
    covers the series (`short`; a `uses` without that list gives the frequency's)."""
    if uses is None:
        return dict(models)
    listed = uses[SHORT] if short and SHORT in uses else uses.get(code, ())
    return {name: m for name, m in models.items() if name in listed}


def instantiate(names: Optional[Sequence[str]] = None, path: Optional[Path] = None) -> dict[str, Forecaster]:
    """Fresh forecasters for the named candidates of the catalogue in `path` (default: the installed one)."""
    return load(path).instantiate(names)
