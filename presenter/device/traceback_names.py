"""Board tracebacks that name the user's file instead of ``<stdin>``.

The raw REPL compiles a submitted program as ``<stdin>`` (and code run by ``exec`` as
``<string>``), so a board traceback says ``File "<stdin>", line 3``.  Replacing the name here,
in the engine's streamed error text, gives the CLI ``File "hello.py"`` and the window's board
modes clickable lines without either knowing the protocol.  Line numbers are left alone: the
program is sent with its lines where they were (see ``program.strip_for_board``).

Error text streams in chunks cut anywhere, so a line that may still become a ``File "..."``
line is held back until its end arrives.
"""

from __future__ import annotations

_FILE = 'File "'


class TracebackNamer:
    """Feed streamed error text, get it back with the program's frames named ``filename``.

    ``hidden_name`` names frames to leave out entirely (our own loader's ``exec`` line).
    """

    def __init__(self, filename: str, board_name: str = "<stdin>",
                 hidden_name: str | None = None) -> None:
        self._old = f'{_FILE}{board_name}"'
        self._new = f'{_FILE}{filename}"'
        self._hidden = f'{_FILE}{hidden_name}"' if hidden_name else None
        self._pending = ""

    def _line(self, line: str) -> str:
        stripped = line.lstrip()
        if self._hidden and stripped.startswith(self._hidden):
            return ""
        if stripped.startswith(self._old):
            return line.replace(self._old, self._new, 1)
        return line

    def feed(self, text: str) -> str:
        """Renamed text that is safe to show now; a possible traceback line is held back."""
        text = self._pending + text
        cut = text.rfind("\n") + 1
        done = "".join(self._line(line) for line in text[:cut].splitlines(keepends=True))
        rest = text[cut:]
        head = rest.lstrip()
        if head.startswith(_FILE) or _FILE.startswith(head) and rest:
            self._pending = rest
            return done
        self._pending = ""
        return done + rest

    def flush(self) -> str:
        """Whatever was held back (the error text ended without a newline)."""
        rest, self._pending = self._pending, ""
        return self._line(rest) if rest else ""
