"""Numbered steps with a spinner, the latest news and the elapsed time of each.

On a terminal the steps are a live list (rich Progress), tables print above it; in a
log (CI, `make demo > log`) each step prints a start and an end line instead. Any
exception inside a step becomes ``StepFailed`` naming the step, so the CLI can exit
non-zero saying which one broke.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

DETAIL_WIDTH = 90


class StepFailed(Exception):
    def __init__(self, step: str, message: str):
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


class _MarkColumn(SpinnerColumn):
    """A spinner while the step runs, then its mark (green tick or red cross)."""

    def render(self, task):
        mark = task.fields.get("mark")
        return Text.from_markup(mark) if mark else super().render(task)


class Step:
    """What a running step can do: report progress in one line."""

    def __init__(self, steps: Steps, task: TaskID | None):
        self._steps, self._task = steps, task

    def detail(self, text: str) -> None:
        if self._task is not None:
            line = " ".join(text.split())
            self._steps.progress.update(self._task, detail=line[:DETAIL_WIDTH])


class Steps:
    def __init__(self, console: Console, total: int):
        self.console = console
        self.total = total
        self.timings: list[tuple[str, float]] = []
        self.progress = Progress(
            _MarkColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[detail]}"),
            console=console,
        )
        self.live = console.is_terminal

    def __enter__(self) -> Steps:
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.progress.stop()

    @contextmanager
    def step(self, title: str) -> Iterator[Step]:
        label = f"[{len(self.timings) + 1}/{self.total}] {title}"
        task = self.progress.add_task(label, total=1, detail="", mark="") if self.live else None
        if not self.live:
            self.console.print(Text(f"{label} ...", style="bold"))
        started = time.monotonic()
        try:
            yield Step(self, task)
        except Exception as err:
            self._finish(task, label, time.monotonic() - started, failed=True)
            if isinstance(err, StepFailed):
                raise
            raise StepFailed(title, str(err) or type(err).__name__) from err
        seconds = time.monotonic() - started
        self.timings.append((title, seconds))
        self._finish(task, label, seconds, failed=False)

    def _finish(self, task: TaskID | None, label: str, seconds: float, *, failed: bool) -> None:
        if task is not None:
            if failed:
                self.progress.update(task, description=f"[red]{label}", detail="failed", mark="[red]✗")
                self.progress.stop_task(task)
            else:
                self.progress.update(task, completed=1, detail="", mark="[green]✓")
        else:
            mark = "✗" if failed else "✓"
            self.console.print(Text(f"{mark} {label} ({seconds:.1f} s)", style="red" if failed else "green"))
