"""A progress bar for long runs (rich, on standard error): the current plan, stage and series.

Shown on a terminal, or when asked with --progress; never in pipes, logs or tests unless asked, so
standard output stays exactly the run's summary. Asked for when standard error is not a terminal (a
log file, CI), it is plain log lines instead: a bar there would be nothing but control characters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Optional

STAGES = {
    "back-test": "back-testing",
    "simulate": "simulating",
    "report": "writing the report",
    "track": "logging to MLflow",
}


def wanted(flag: Optional[bool]) -> bool:
    return sys.stderr.isatty() if flag is None else flag


@contextmanager
def progress_bar(show: bool) -> Iterator[Optional[Callable[[str, str, str, int, int], None]]]:
    """Yields `tell(label, stage, item, done, total)`, or None when nothing is shown."""
    if not show:
        yield None
        return
    if not sys.stderr.isatty():
        yield _log_lines
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def tell(label: str, stage: str, item: str, done: int, total: int) -> None:
            bar.update(
                task, description=f"[bold]{label}[/] · {STAGES.get(stage, stage)} · {item}", completed=done, total=total
            )

        yield tell


def _log_lines(label: str, stage: str, item: str, done: int, total: int) -> None:
    """One line per step on standard error, with the time: what a log keeps of the bar."""
    import time

    count = f" ({done + 1}/{total})" if total > 1 else ""
    print(
        f"{time.strftime('%H:%M:%S')} {label} · {STAGES.get(stage, stage)} · {item}{count}", file=sys.stderr, flush=True
    )
