"""Demo file -> steps, notes and flags; where each step lands in the code. No Qt.

A speaker prepares a live-coding demo as one plain Python file. Every line that starts
with ``# %%`` is for Presenter; every other line is code the audience will see typed::

    # %% demo: Turtles in ten minutes
    # %% length: 10 min
    # %% file: turtles.py
    # %% note: Introduce yourself; nothing is on screen yet.

    # %% step: Import turtle
    # %% note: It ships with Python.
    import turtle

    # %% step: Draw a square
    # %% run
    t = turtle.Turtle()
    for _ in range(4):
        t.forward(100)
        t.left(90)

    # %% step: Faster
    # %% after: t = turtle.Turtle()
    t.speed(0)

Line 1 is ``# %% demo: TITLE``: that line is what makes a file a demo, whatever its name
(the samples end in ``.demo.py`` only so people can tell). The header, up to the first
``# %% step:``, holds the talk's settings: ``length`` (``10 min``, ``90 s``, ``25:00``),
``mode`` (python, microbit, pico: the mode the demo starts in), ``file`` (the tab the steps
type into, ``demo.py`` if not given), ``speed`` (characters per second, 5-100, or
``instant``) and ``note`` lines shown before the first step.

A step is ``# %% step: TITLE`` followed by its option lines, then its code. Options:

* ``note: TEXT``: the speaker's notes for the step (see ``join_notes``);
* ``run``: run the code once it is typed;
* ``file: NAME``: type into that tab instead (made on first use);
* ``mode: ID``: switch to that mode before typing;
* ``speed: N`` / ``speed: instant``: this step's typing speed;
* ``after: TEXT``, ``before: TEXT``, ``replace: TEXT`` (+ ``through: END``): where the
  step lands (below).

The code of a step is its lines up to the next step, without the blank lines at its end
(those separate steps in the file); blank lines at its start are typed.

Where a step lands is found by *text*, never by a character offset, so the speaker may type
freely between steps: without an anchor the step goes at the end of its file; with
``after: TEXT`` it goes under the first line that contains TEXT, with ``before: TEXT`` above
it, with ``replace: TEXT`` it replaces that line (and with ``through: END`` under it, every
line down to the first one containing END). An anchor that no earlier step types is an
error in the demo file (``validate`` finds it); one the speaker has since deleted is a
``StepError`` at the talk, and the window says which text it looked for.

Every problem is a ``DemoError`` that names the line and says what is wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

MARK = "# %%"
HEADER_KEY = "demo"
DEFAULT_FILE = "demo.py"
MIN_SPEED, MAX_SPEED = 5, 100
INSTANT = 0  # the speed value meaning "all at once"

ANCHOR_KINDS = ("after", "before", "replace")
HEADER_KEYS = ("length", "mode", "file", "speed", "note")
STEP_KEYS = ("note", "run", "file", "mode", "speed", *ANCHOR_KINDS, "through")
FLAGS = ("run",)

_FILE_NAME = re.compile(r"^[\w][\w.-]*$")


class DemoError(ValueError):
    """A demo file that cannot be used: ``line`` (from 1) and what is wrong there."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


class StepError(RuntimeError):
    """A step cannot land in the code as it is now (the speaker removed its anchor).

    ``problem`` reads after the step's name: "replaces the line containing “x”, which is
    not in app.py"."""

    def __init__(self, step: Step, problem: str) -> None:
        super().__init__(problem)
        self.step = step
        self.problem = problem


@dataclass(frozen=True)
class Anchor:
    """Where a step lands: ``kind`` of the first line containing ``text``."""

    kind: str  # "after", "before" or "replace"
    text: str
    line: int = field(default=0, compare=False)  # where the demo file says so
    through: str | None = None  # replace: also every line down to the first with this

    def where(self) -> str:
        """``goes after the line containing “x”``: for messages."""
        verb = "replaces" if self.kind == "replace" else f"goes {self.kind}"
        through = f" through the line containing “{self.through}”" if self.through else ""
        return f"{verb} the line containing “{self.text}”{through}"

    def describe(self) -> str:
        return f"{self.kind}: {self.text}"


@dataclass
class Step:
    """One step of a demo, as written in the file."""

    number: int  # from 1
    title: str
    line: int  # the line of its "# %% step:" marker
    code: str = ""  # ends with a newline unless empty
    notes: list[str] = field(default_factory=list)
    run: bool = False
    file: str = DEFAULT_FILE
    mode: str | None = None
    speed: int | None = None  # None: the speed set in the step bar; INSTANT: all at once
    anchor: Anchor | None = None

    @property
    def notes_text(self) -> str:
        return join_notes(self.notes)


@dataclass
class Demo:
    """A parsed demo: the talk's settings and its steps."""

    title: str
    steps: list[Step]
    length_s: float | None = None
    mode: str | None = None
    file: str = DEFAULT_FILE
    speed: int | None = None  # the step bar's speed when the demo opens
    notes: list[str] = field(default_factory=list)
    path: str | None = None

    @property
    def notes_text(self) -> str:
        return join_notes(self.notes)

    def files(self) -> list[str]:
        """Every tab the demo types into, in the order they are first used."""
        names = [self.file]
        for step in self.steps:
            if step.file not in names:
                names.append(step.file)
        return names

    def mode_at(self, position: int) -> str | None:
        """The mode in force once ``position`` steps are done (the last ``mode`` so far)."""
        mode = self.mode
        for step in self.steps[:position]:
            mode = step.mode or mode
        return mode

    def file_at(self, position: int) -> str:
        """The tab the audience looks at once ``position`` steps are done."""
        return self.steps[position - 1].file if position > 0 else self.file


def join_notes(lines: list[str]) -> str:
    """Note lines as the speaker reads them: one paragraph until an empty note line.

    A sentence may run over several ``# %% note:`` lines (the file stays narrow); a line
    that starts with ``-`` or ``*`` starts a line of its own (a list of points).
    """
    text = ""
    for line in lines:
        if not line:
            text = text.rstrip(" ") + "\n\n" if text else text
        elif line.startswith(("- ", "* ")) and text:
            text = text.rstrip(" ") + ("" if text.endswith("\n") else "\n") + line + " "
        else:
            text += line + " "
    return text.strip()


def is_demo_text(text: str) -> bool:
    """True if ``text`` is a demo file: its first line is ``# %% demo: ...``."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    key, _value = _split_option(first[len(MARK):]) if first.startswith(MARK) else ("", "")
    return key == HEADER_KEY


def parse_demo(text: str, path: str | None = None) -> Demo:
    """Read a demo file; raises DemoError naming the first line that is wrong."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not is_demo_text(lines[0]):
        raise DemoError(1, "a demo file starts with “# %% demo: TITLE” on its first line")
    _key, title = _split_option(lines[0][len(MARK):])
    if not title:
        raise DemoError(1, "the demo has no title: write it after “# %% demo:”")
    demo = Demo(title=title, steps=[], path=path)
    step: Step | None = None
    code: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.startswith(MARK):
            if step is None:
                if line.strip():
                    raise DemoError(number, "code before the first step: put it under a "
                                            "“# %% step: TITLE” line")
                continue
            code.append(line)
            continue
        key, value = _split_option(line[len(MARK):])
        if key == "step":
            if step is not None:
                _finish_step(step, code)
            if not value:
                raise DemoError(number, "the step has no title: write it after “# %% step:”")
            step = Step(len(demo.steps) + 1, value, number, file=demo.file)
            demo.steps.append(step)
            code = []
        elif step is None:
            _header_option(demo, key, value, number)
        else:
            if any(c.strip() for c in code):
                raise DemoError(number, f"“{line.strip()}” comes after the step's code: put a "
                                        "step's “# %%” lines right under its “# %% step:” line")
            _step_option(step, key, value, number)
    if step is None:
        raise DemoError(len(lines), "the demo has no steps: add “# %% step: TITLE” lines "
                                    "with code under them")
    _finish_step(step, code)
    return demo


def validate(demo: Demo) -> None:
    """Play the demo from empty tabs: every anchor must be typed by an earlier step.

    Raises DemoError at the line of the first step that could not land, so an authoring
    slip is found when the file is opened, not in front of the audience.
    """
    texts = {name: "" for name in demo.files()}
    for step in demo.steps:
        try:
            texts[step.file] = apply_step(texts[step.file], step)
        except StepError as exc:
            line = step.anchor.line if step.anchor else step.line
            raise DemoError(line, f"step {step.number} ({step.title}) {exc.problem}, "
                                  "and no earlier step types it") from None


def snapshots(demo: Demo) -> list[dict[str, str]]:
    """The text of every tab after 0, 1, ... n steps, played from empty tabs."""
    texts = {name: "" for name in demo.files()}
    result = [dict(texts)]
    for step in demo.steps:
        texts[step.file] = apply_step(texts[step.file], step)
        result.append(dict(texts))
    return result


@dataclass(frozen=True)
class Landing:
    """Where a step's code goes: replace ``text[start:end]`` with ``code``."""

    start: int
    end: int
    code: str


def plan_step(text: str, step: Step) -> Landing:
    """Where ``step`` lands in ``text`` (its file's text now); StepError if it cannot."""
    code = step.code
    if step.anchor is None:
        if text and not text.endswith("\n"):
            code = "\n" + code
        return Landing(len(text), len(text), code)
    start, end = _find_line(text, step.anchor.text)
    if start >= 0 and step.anchor.through:
        last_start, end = _find_line(text, step.anchor.through, start)
        start = start if last_start >= 0 else -1
    if start < 0:
        raise StepError(step, f"{step.anchor.where()}, which is not in {step.file}")
    if step.anchor.kind == "before":
        return Landing(start, start, code)
    if step.anchor.kind == "after":
        if code and not text.endswith("\n") and end == len(text):
            code = "\n" + code  # the anchor is the last line, which has no newline yet
        return Landing(end, end, code)
    # replace: the whole line, its newline too; the last line keeps having none
    if not text[start:end].endswith("\n"):
        code = code.removesuffix("\n")
    return Landing(start, end, code)


def apply_step(text: str, step: Step) -> str:
    """``text`` with ``step`` landed in it (what typing the step produces)."""
    landing = plan_step(text, step)
    return text[:landing.start] + landing.code + text[landing.end:]


def parse_length(value: str) -> float:
    """A talk length: ``10 min``, ``10m``, ``90 s``, ``1.5 h``, ``25:00``, ``1:05:00``."""
    text = value.strip().lower()
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", text):
        seconds = 0
        for part in text.split(":"):
            seconds = seconds * 60 + int(part)
        return float(seconds)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|hours?|m|mins?|minutes?|s|secs?|seconds?)", text)
    if not match:
        raise ValueError(f"“{value}” is not a length: write e.g. “10 min”, “90 s” or “25:00”")
    unit = {"h": 3600, "m": 60, "s": 1}[match.group(2)[0]]
    return float(match.group(1)) * unit


# ---- Internals

def _split_option(rest: str) -> tuple[str, str]:
    """``" after: x = 1"`` -> ("after", "x = 1"); ``" run"`` -> ("run", "")."""
    rest = rest.strip()
    key, colon, value = rest.partition(":")
    if not colon:
        return rest.lower(), ""
    return key.strip().lower(), value.strip()


def _unknown(key: str, known: tuple[str, ...], where: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean “{close[0]}”?)" if close else ""
    return f"“# %% {key}” is not a {where} option{hint}; known: {', '.join(known)}"


def _header_option(demo: Demo, key: str, value: str, line: int) -> None:
    _need_key(key, line)
    if key == HEADER_KEY:
        raise DemoError(line, "“# %% demo:” belongs on line 1 only")
    if key not in HEADER_KEYS:
        if key in STEP_KEYS:
            raise DemoError(line, f"“# %% {key}” belongs to a step: put it under a "
                                  "“# %% step: TITLE” line")
        raise DemoError(line, _unknown(key, HEADER_KEYS, "header"))
    if key == "note":  # an empty note is a blank line between paragraphs
        demo.notes.append(value)
        return
    _need_value(key, value, line)
    if key == "length":
        try:
            demo.length_s = parse_length(value)
        except ValueError as exc:
            raise DemoError(line, str(exc)) from None
    elif key == "mode":
        demo.mode = _mode(value, line)
    elif key == "file":
        demo.file = _file_name(value, line)
    elif key == "speed":
        demo.speed = _speed(value, line)


def _step_option(step: Step, key: str, value: str, line: int) -> None:
    _need_key(key, line)
    if key == HEADER_KEY:
        raise DemoError(line, "“# %% demo:” belongs on line 1 only")
    if key not in STEP_KEYS:
        if key in HEADER_KEYS:
            raise DemoError(line, f"“# %% {key}” belongs to the header, above the first step")
        raise DemoError(line, _unknown(key, STEP_KEYS, "step"))
    if key in FLAGS:
        if value:
            raise DemoError(line, f"“# %% {key}” takes no value")
        step.run = True
        return
    if key == "note":  # an empty note is a blank line between paragraphs
        step.notes.append(value)
        return
    _need_value(key, value, line)
    if key == "file":
        step.file = _file_name(value, line)
    elif key == "mode":
        step.mode = _mode(value, line)
    elif key == "speed":
        step.speed = _speed(value, line)
    elif key == "through":
        if step.anchor is None or step.anchor.kind != "replace" or step.anchor.through:
            raise DemoError(line, "“# %% through:” goes right under a step's "
                                  "“# %% replace:” line (it says where the replaced lines end)")
        step.anchor = Anchor("replace", step.anchor.text, step.anchor.line, value)
    elif key in ANCHOR_KINDS:
        if step.anchor is not None:
            raise DemoError(line, f"a step has one place to land, and this one already has "
                                  f"“{step.anchor.describe()}”")
        step.anchor = Anchor(key, value, line)


def _need_key(key: str, line: int) -> None:
    if not key:
        raise DemoError(line, "a “# %%” line needs a word after it: step, note, run, "
                              "after, ... (see the demo format in the README)")


def _need_value(key: str, value: str, line: int) -> None:
    if not value:
        raise DemoError(line, f"“# %% {key}:” needs a value after the colon")


def _mode(value: str, line: int) -> str:
    mode = value.strip().lower()
    if not re.fullmatch(r"[a-z][\w-]*", mode):
        raise DemoError(line, f"“{value}” is not a mode name (python, microbit, pico, ...)")
    return mode


def _file_name(value: str, line: int) -> str:
    if not _FILE_NAME.match(value):
        raise DemoError(line, f"“{value}” is not a file name: write a name such as "
                              "“square.py”, without folders")
    return value


def _speed(value: str, line: int) -> int:
    text = value.strip().lower()
    if text in ("instant", "at once"):
        return INSTANT
    try:
        speed = int(text.split()[0]) if text else -1
    except ValueError:
        speed = -1
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise DemoError(line, f"speed “{value}”: write characters per second from {MIN_SPEED} "
                              f"to {MAX_SPEED}, or “instant”")
    return speed


def _finish_step(step: Step, code: list[str]) -> None:
    while code and not code[-1].strip():
        code.pop()
    step.code = "\n".join(code) + "\n" if code else ""


def _find_line(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """Start and end (after its newline) of the first line from ``start`` on containing
    ``needle``; (-1, -1) if none."""
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        if needle in text[start:end]:
            return start, end
        if end >= len(text):
            break
        start = end
    return -1, -1
