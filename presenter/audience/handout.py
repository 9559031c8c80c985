"""The handout: what the room takes home, as one self-contained HTML file and as Markdown.

It holds the talk's title and date, the demo's steps (each with its code as it stood when
the step was done) or, without a demo, the open tabs' final code, and each run's output.
The HTML has its style inline and no script, so it opens anywhere, offline, years later;
every piece of code, output and title in it is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from presenter.audience.highlight import code_runs, runs_to_html, stylesheet


@dataclass(frozen=True)
class StepRecord:
    """A demo step, and the code of its tab once the step was done."""

    index: int
    count: int
    title: str
    file: str
    code: str

    def label(self) -> str:
        return f"Step {self.index}/{self.count}" + (f": {self.title}" if self.title else "")


@dataclass(frozen=True)
class RunRecord:
    """One run: which tab, the code that ran, what it printed (a bounded tail)."""

    file: str
    code: str
    output: str
    step: str = ""  # the demo step's label when it ran during one


@dataclass(frozen=True)
class Handout:
    title: str
    day: date
    files: tuple[tuple[str, str], ...] = ()  # (tab name, final code)
    steps: tuple[StepRecord, ...] = ()
    runs: tuple[RunRecord, ...] = field(default_factory=tuple)

    def file_name(self) -> str:
        """A file name stem for it: the title's words and the date."""
        words = re.sub(r"[^\w]+", "-", self.title.lower()).strip("-") or "handout"
        return f"{words[:60]}-{self.day.isoformat()}"


# ---- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def _md_text(text: str) -> str:
    """Plain text in Markdown: punctuation that would become markup or HTML is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _fence(text: str, language: str = "") -> str:
    """A fenced block longer than any run of backticks inside, so code can't end it early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{ticks}{language}\n{body}{ticks}\n"


def _language(file_name: str) -> str:
    return "python" if not file_name or file_name.endswith((".py", ".pyw")) or "." not in file_name else ""


def render_markdown(handout: Handout) -> str:
    out = [f"# {_md_text(handout.title)}\n", f"{handout.day:%d %B %Y} · made with Presenter\n"]
    final = dict(handout.files)
    if handout.steps:
        out.append("## Steps\n")
        for step in handout.steps:
            out.append(f"### {_md_text(step.label())}\n")
            out.append(f"In {_md_text(step.file)}:\n")
            out.append(_fence(step.code, _language(step.file)))
    if handout.files:
        out.append("## Final code\n")
        for name, code in handout.files:
            out.append(f"### {_md_text(name)}\n")
            out.append(_fence(code, _language(name)))
    if handout.runs:
        out.append("## Runs\n")
        for number, run in enumerate(handout.runs, 1):
            out.append(f"### Run {number}: {_md_text(_run_heading(run))}\n")
            if run.code != final.get(run.file):
                out.append("The code that ran:\n")
                out.append(_fence(run.code, _language(run.file)))
            out.append("Output:\n")
            out.append(_fence(run.output or "(no output)", "text"))
    return "\n".join(out)


def _run_heading(run: RunRecord) -> str:
    return run.file + (f" ({run.step})" if run.step else "")


# ---- HTML

_HANDOUT_CSS = """
body { margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1d1d1f; background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { margin-bottom: 0.2rem; } .date { color: #5f6368; margin-top: 0; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
pre { padding: 0.6rem 0.8rem; border: 1px solid #d0d7de; border-radius: 6px; overflow-x: auto;
  background: #f6f8fa; font: 14px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.note { color: #5f6368; margin-bottom: 0.2rem; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; } .date, .note { color: #9aa4af; }
  pre { background: #161b22; border-color: #30363d; } h2 { border-color: #30363d; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _code_block(code: str, file_name: str) -> str:
    return f'<pre class="code">{runs_to_html(code_runs(code, file_name))}</pre>'


def render_html(handout: Handout) -> str:
    final = dict(handout.files)
    body = [f"<h1>{_e(handout.title)}</h1>",
            f'<p class="date">{handout.day:%d %B %Y} · made with Presenter</p>']
    if handout.steps:
        body.append("<h2>Steps</h2>")
        for step in handout.steps:
            body.append(f"<h3>{_e(step.label())}</h3>")
            body.append(f'<p class="note">In {_e(step.file)}:</p>')
            body.append(_code_block(step.code, step.file))
    if handout.files:
        body.append("<h2>Final code</h2>")
        for name, code in handout.files:
            body.append(f"<h3>{_e(name)}</h3>")
            body.append(_code_block(code, name))
    if handout.runs:
        body.append("<h2>Runs</h2>")
        for number, run in enumerate(handout.runs, 1):
            body.append(f"<h3>Run {number}: {_e(_run_heading(run))}</h3>")
            if run.code != final.get(run.file):
                body.append('<p class="note">The code that ran:</p>')
                body.append(_code_block(run.code, run.file))
            body.append('<p class="note">Output:</p>')
            body.append(f'<pre class="out">{_e(run.output or "(no output)")}</pre>')
    style = _HANDOUT_CSS + stylesheet(".code")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(handout.title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
