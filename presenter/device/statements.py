"""Split code typed into the board's prompt into statements, as they arrive line by line.

Why: the friendly REPL indents a block's body by itself, so a function typed line by line
gets its indentation twice; and a V1 loses whatever arrives while it is busy.  Piped input is
therefore sent one top-level statement at a time: a one-line statement is typed (the REPL
still shows the value of an expression), anything longer goes through paste mode, which keeps
the text exactly as written.  A statement is complete when the next line starts at column 0
outside any bracket or string and is not ``else``/``elif``/``except``/``finally``.
"""

from __future__ import annotations

import io
import re
import tokenize

_CONTINUES = re.compile(r"(else|elif|except|finally)\b")
_COMPOUND = re.compile(r"(def|class|if|for|while|with|try|async|@)\b|@")


def _complete(text: str) -> bool:
    """No bracket or triple-quoted string is left open at the end of ``text``."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(text).readline):
            pass
    except tokenize.TokenError:
        return False  # "EOF in multi-line statement/string"
    except (IndentationError, SyntaxError):
        return True  # the board will say what is wrong
    return True


def needs_paste(statement: str) -> bool:
    """Send through paste mode: several lines, or a block header (`for x in y: ...`)."""
    lines = [ln for ln in statement.splitlines() if ln.strip()]
    return len(lines) > 1 or bool(lines and _COMPOUND.match(lines[0]))


class StatementGrouper:
    """Feed lines, get complete top-level statements (text with its newlines) back."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def feed(self, line: str) -> list[str]:
        starts_new = (
            line.strip() != ""
            and not line[:1].isspace()
            and not line.startswith("#")  # a comment at column 0 may sit inside a block
            and not _CONTINUES.match(line)
            and any(ln.strip() for ln in self._lines)
            and _complete("".join(self._lines))
        )
        done = self.close() if starts_new else []
        self._lines.append(line if line.endswith("\n") else line + "\n")
        return done

    def close(self) -> list[str]:
        """The statement still being collected (at end of input)."""
        text = "".join(self._lines).rstrip() + "\n"
        self._lines = []
        return [text] if text.strip() else []
