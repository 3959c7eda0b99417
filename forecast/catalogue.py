"""The model catalogue (`models/catalogue.yaml`): named candidates with their settings."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

import yaml

from .forecasters import DEFAULT_MODELS, REGISTRY, Forecaster, build

DEFAULT_FILE = Path("models") / "catalogue.yaml"


class CatalogueError(ValueError):
    pass


def load(path: Optional[Path] = None) -> tuple[dict[str, dict], list[str], str]:
    """(candidates name -> {model, params}, default names, where they came from).

    Without a path, `models/catalogue.yaml` under the current folder is used when present, else the
    built-in registry with default settings; the source is returned so a run can record it.
    """
    chosen = Path(path) if path else DEFAULT_FILE
    if not chosen.exists():
        if path:
            raise CatalogueError(f"{chosen}: catalogue file not found")
        return {n: {"model": n, "params": {}} for n in REGISTRY}, list(DEFAULT_MODELS), "built-in"
    try:
        doc = yaml.safe_load(chosen.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{chosen}: not valid YAML: {exc}") from None
    candidates = {}
    for name, spec in (doc.get("candidates") or {}).items():
        spec = dict(spec or {})
        model = spec.pop("model", name)
        if model not in REGISTRY:
            raise CatalogueError(f"{chosen}: candidate {name!r} names unknown model {model!r} "
                                 f"(known: {', '.join(REGISTRY)})")
        candidates[name] = {"model": model, "params": spec}
    default = list(doc.get("default") or candidates)
    unknown = [d for d in default if d not in candidates]
    if unknown:
        raise CatalogueError(f"{chosen}: default lists candidates not defined: {', '.join(unknown)}")
    return candidates, default, str(chosen)


def instantiate(names: Optional[Sequence[str]] = None, path: Optional[Path] = None) -> dict[str, Forecaster]:
    """Fresh forecasters for the named candidates (default: the catalogue's default list)."""
    candidates, default, source = load(path)
    out = {}
    for name in names or default:
        if name not in candidates:
            raise CatalogueError(f"unknown model {name!r}; known: {', '.join(candidates)} (from {source})")
        spec = candidates[name]
        try:
            out[name] = build(spec["model"], **spec["params"])
        except TypeError as exc:
            raise CatalogueError(f"candidate {name!r}: bad settings {spec['params']}: {exc}") from None
    return out
