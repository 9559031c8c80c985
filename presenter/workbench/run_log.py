"""Each run of the talk, kept for the handout: the tab, the code that ran, its output.

A run starts when the workbench says a program is running (Run, F5, a demo step) and its
output is what the output pane shows until the next run starts. It is bounded like
everything on stage: the last ``MAX_RUNS`` runs, the last ``OUTPUT_LINES`` lines of each.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from presenter.core.output import INPUT
from presenter.core.output_tail import OutputTail
from presenter.qt.output_pane import OutputPane

if TYPE_CHECKING:
    from presenter.audience.handout import RunRecord

MAX_RUNS = 100
OUTPUT_LINES = 1000


class _Run:
    def __init__(self, file: str, code: str, step: str) -> None:
        self.file = file
        self.code = code
        self.step = step
        self.output = OutputTail(OUTPUT_LINES)


class RunLog:
    """Listens to the output pane; ``run_started`` opens a new record."""

    def __init__(self, output: OutputPane) -> None:
        self._runs: deque[_Run] = deque(maxlen=MAX_RUNS)
        output.output_appended.connect(self._on_output)
        output.input_submitted.connect(lambda line: self._on_output([(INPUT, line + "\n")]))

    def run_started(self, file: str, code: str, step: str = "") -> None:
        self._runs.append(_Run(file, code, step))

    def records(self) -> list[RunRecord]:
        from presenter.audience.handout import RunRecord  # with the handout, not at start-up

        return [RunRecord(run.file, run.code, run.output.text().rstrip("\n"), run.step)
                for run in self._runs]

    def _on_output(self, chunks: list) -> None:
        if self._runs:
            self._runs[-1].output.feed(chunks)
