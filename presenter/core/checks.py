"""Check and Tidy: pyflakes and pycodestyle findings as ``Problem`` records; black formatting.

Qt-free, so it is tested headless and runs in a child process (``python -m
presenter.core.checks check|tidy``, source on stdin, JSON on stdout). Why a child: black
is compiled with mypyc and holds the GIL for most of a second at a time on a big file
(measured: 811 ms gaps on a 12,000-line file when run on a thread), which would freeze the
window; a child costs about 0.1 s to start and can never freeze or crash it.

The checker and the formatter agree: pycodestyle allows black's line length (88) and skips
the two checks black's output is known to trip (E203 whitespace before ``:`` in slices,
W503 line break before a binary operator), so Tidy never makes Check complain.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass

# What kind of finding, worst first: an error stops the program (undefined name, syntax),
# a warning is probably a mistake (unused import), style is a PEP 8 point.
ERROR, WARNING, STYLE = "error", "warning", "style"
KINDS = (ERROR, WARNING, STYLE)

LINE_LENGTH = 88  # black's default, so the two tools agree
STYLE_IGNORE = ("E121", "E123", "E126", "E226", "E24", "E704", "W503", "W504",  # pycodestyle's
                "E203")  # black puts spaces around ':' in complex slices (black's docs)

# pyflakes findings that mean the program fails when that line runs; the rest are warnings.
_PYFLAKES_ERRORS = frozenset({
    "UndefinedName", "UndefinedLocal", "UndefinedExport", "DuplicateArgument",
    "ReturnOutsideFunction", "YieldOutsideFunction", "ContinueOutsideLoop",
    "BreakOutsideLoop", "DefaultExceptNotLast", "TwoStarredExpressions",
    "TooManyExpressionsInStarredAssignment", "ImportStarNotPermitted",
    "FutureFeatureNotDefined", "LateFutureImport", "ForwardAnnotationSyntaxError",
    "InvalidPrintSyntax",
})
# black says "Cannot parse for target version Python 3.12: 3:7: x = (" (line:column: text)
_BLACK_POSITION = re.compile(r"(\d+):(\d+):\s?(.*)")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, at a place in the buffer (line and column count from 1, as editors do).

    Slots: one object per finding instead of two (no ``__dict__``), for Python's garbage
    collector to count and walk when a check finds tens of thousands.
    """

    line: int
    column: int
    message: str  # readable on its own: "'os' imported but unused"
    kind: str  # ERROR, WARNING or STYLE
    code: str = ""  # pycodestyle's "E225", pyflakes' message class, "SyntaxError"


class TidyError(Exception):
    """Tidy could not format the text; ``line`` says where (1-based, 0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def as_problem(self) -> Problem:
        return Problem(max(1, self.line), max(1, self.column), self.message, ERROR, "SyntaxError")


# ---- Check

def check_source(source: str, filename: str = "<editor>") -> list[Problem]:
    """Every pyflakes and pycodestyle finding in ``source``, sorted by place.

    A syntax error is the only finding reported for code that does not parse: style points
    about code that cannot run would bury the one thing to fix.
    """
    syntax = syntax_problem(source, filename)
    if syntax is not None:
        return [syntax]
    problems = _pyflakes(source, filename) + _pycodestyle(source)
    return sorted(problems, key=lambda p: (p.line, p.column, KINDS.index(p.kind)))


def syntax_problem(source: str, filename: str = "<editor>") -> Problem | None:
    """The first syntax error in ``source`` as a Problem, or None if it compiles."""
    try:
        ast.parse(source, filename)
    except SyntaxError as exc:
        message = exc.msg or "invalid syntax"
        return Problem(max(1, exc.lineno or 1), max(1, exc.offset or 1),
                       message[:1].upper() + message[1:], ERROR, type(exc).__name__)
    except ValueError as exc:  # "source code string cannot contain null bytes"
        return Problem(1, 1, str(exc)[:1].upper() + str(exc)[1:], ERROR, "ValueError")
    return None


def _pyflakes(source: str, filename: str) -> list[Problem]:
    from pyflakes import api

    class Collect:
        """pyflakes' Reporter interface, keeping the findings instead of printing them."""

        def __init__(self) -> None:
            self.found: list[Problem] = []

        def flake(self, message) -> None:
            name = type(message).__name__
            kind = ERROR if name in _PYFLAKES_ERRORS else WARNING
            text = message.message % message.message_args
            self.found.append(Problem(message.lineno, (message.col or 0) + 1, text, kind, name))

        def syntaxError(self, _filename, msg, lineno, offset, _text) -> None:  # noqa: N802
            self.found.append(Problem(lineno or 1, offset or 1, msg, ERROR, "SyntaxError"))

        def unexpectedError(self, _filename, msg) -> None:  # noqa: N802
            self.found.append(Problem(1, 1, str(msg), ERROR, "Error"))

    reporter = Collect()
    api.check(source, filename, reporter)
    return reporter.found


def _pycodestyle(source: str) -> list[Problem]:
    import pycodestyle

    found: list[Problem] = []

    class Collect(pycodestyle.BaseReport):
        """Keeps what pycodestyle reports (after its own ignore rules) as Problems."""

        def error(self, line_number, offset, text, check):
            code = super().error(line_number, offset, text, check)
            if code:  # None: ignored, or already counted for this line
                code_text, _, message = text.partition(" ")
                found.append(Problem(line_number, offset + 1, f"{message} ({code_text})",
                                     STYLE, code_text))
            return code

    style = pycodestyle.StyleGuide(quiet=True, max_line_length=LINE_LENGTH,
                                   ignore=list(STYLE_IGNORE), reporter=Collect)
    lines = source.splitlines(keepends=True)
    style.input_file("<editor>", lines=lines)
    return found


# ---- Tidy

def tidy_source(source: str) -> str:
    """``source`` formatted by black; raises TidyError (with the line) if it cannot be.

    The text is checked with Python's own parser first: its messages ("'(' was never
    closed") say more to a learner than black's "Cannot parse".
    """
    import black

    syntax = syntax_problem(source)
    if syntax is not None:
        raise TidyError(syntax.message, syntax.line, syntax.column)
    try:
        return black.format_str(source, mode=black.Mode(line_length=LINE_LENGTH))
    except black.InvalidInput as exc:  # parses for this Python, not for black's targets
        match = _BLACK_POSITION.search(str(exc))
        if match:
            raise TidyError(f"Black cannot parse this: {match.group(3)}".rstrip(": "),
                            int(match.group(1)), int(match.group(2))) from None
        raise TidyError(f"Black cannot parse this: {exc}") from None
    except Exception as exc:  # black's "INTERNAL ERROR" (unstable formatting) and the like
        raise TidyError(f"Black could not format this file: {exc}") from None


# ---- The child process: python -m presenter.core.checks check|tidy < source

def run_request(action: str, source: str) -> dict:
    """What the child writes back for one request, as JSON-ready data.

    A check's findings are rows in ``Problem``'s field order, not objects: a 6,000-line
    file can have 27,000 of them, and rows are 40% fewer bytes and read about twice as fast
    by the window (which reads them on its own thread, while people watch).
    """
    if action == "check":
        return {"problems": [[p.line, p.column, p.message, p.kind, p.code]
                             for p in check_source(source)]}
    if action == "tidy":
        try:
            tidied = tidy_source(source)
        except TidyError as exc:
            return {"error": asdict(exc.as_problem())}
        return {"text": tidied}
    raise ValueError(f"unknown action {action!r} (check or tidy)")


def problems_from_reply(reply: dict) -> list[Problem]:
    """The Problems in a child's ``check`` reply (or its tidy error, as one Problem)."""
    return list(iter_problems(reply))


def iter_problems(reply: dict) -> Iterator[Problem]:
    """``problems_from_reply`` one at a time: making 27,000 Problems takes the window
    ~25 ms, so it makes them a slice at a time, as it marks them."""
    if "error" in reply:
        yield Problem(**reply["error"])
        return
    for row in reply.get("problems", []):
        yield Problem(*row)


def count_kinds(reply: dict) -> dict[str, int]:
    """How many findings of each kind a ``check`` reply holds (without making Problems)."""
    counts = dict.fromkeys(KINDS, 0)
    for row in reply.get("problems", []):
        counts[row[3]] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in ("check", "tidy"):
        print("usage: python -m presenter.core.checks check|tidy < source.py", file=sys.stderr)
        return 2
    source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    reply = run_request(args[0], source)
    sys.stdout.buffer.write(json.dumps(reply).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
