"""A user's script made to fit a small board: what to send, and in which submissions.

Why: the micro:bit V1 has no raw-paste, so the raw REPL keeps the whole program in one buffer
that it grows 16 bytes at a time; when the heap cannot grow it, the firmware fails outside any
exception handler and stops answering until it is power-cycled (measured on the real V1
firmware in the virtual micro:bit: 9.6 kB of source ends in a MemoryError, 10.8 kB hangs the
board).  So a program larger than the board's budget is

1. stripped of what MicroPython never uses (comments, docstrings and other bare string
   statements), keeping every line where it was so tracebacks still point at the right lines;
2. if it is still too large, stored on the board in pieces small enough for one submission
   each, then run with ``exec`` in one last small submission.  MicroPython raises a catchable
   MemoryError there when the program cannot be compiled, so the run ends with the board's own
   MemoryError and the board still answers.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field

#: The name the board's traceback gives a program sent as one raw-REPL submission ...
STDIN_NAME = "<stdin>"
#: ... and the one it gives code run by ``exec(str)`` (the loader in pieces mode).
EXEC_NAME = "<string>"
_PIECES = "_presenter_src"  # the board-side list holding the pieces (a global while it runs)


@dataclass(frozen=True)
class Plan:
    """How to send one program.

    ``loaders`` are run first, each as a management exec (they only store text); ``program``
    is the submission whose output streams.  ``board_name`` is the file name the board's
    tracebacks will use for the user's lines; ``loader_name`` names frames of our own loader,
    which tracebacks should not show.
    """

    program: bytes
    loaders: list[bytes] = field(default_factory=list)
    stripped: bool = False
    board_name: str = STDIN_NAME
    loader_name: str | None = None


def strip_for_board(source: str) -> str:
    """``source`` without comments, docstrings and bare string statements; same line numbers.

    A docstring becomes ``pass`` (a body may consist of nothing else) and the rows it spanned
    stay, empty.  Source that does not tokenize is returned unchanged: the board will report
    the SyntaxError itself.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    # (start, end, replacement); rows are 1-based and columns 0-based, as tokenize gives them.
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    statement_start = True  # the next token begins a logical line
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == tokenize.COMMENT:
            edits.append((tok.start, tok.end, ""))
        elif tok.type == tokenize.STRING and statement_start:
            j = i  # "a" "b" (implicit concatenation), maybe a comment, then the line's end
            while j + 1 < len(tokens) and tokens[j + 1].type in (tokenize.STRING,
                                                                   tokenize.COMMENT):
                j += 1
            if tokens[j + 1].type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                strings = [t for t in tokens[i : j + 1] if t.type == tokenize.STRING]
                edits.append((tok.start, strings[-1].end, "pass"))
                edits.extend((t.start, t.end, "") for t in tokens[i : j + 1]
                             if t.type == tokenize.COMMENT)
                i = j
        if tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            statement_start = True
        elif tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
            statement_start = False
        i += 1
    lines = source.splitlines(keepends=True)
    bodies = [line.rstrip("\r\n") for line in lines]
    endings = [line[len(body):] for line, body in zip(lines, bodies, strict=True)]
    for (srow, scol), (erow, ecol), text in sorted(edits, reverse=True):
        head = bodies[srow - 1][:scol]
        tail = bodies[erow - 1][ecol:]
        joined = head + text + tail
        bodies[srow - 1] = joined.rstrip() if not text else joined
        for row in range(srow + 1, erow + 1):
            bodies[row - 1] = ""
    return "".join(body + ending for body, ending in zip(bodies, endings, strict=True))


def _pieces(text: str, budget: int) -> list[bytes]:
    """``_presenter_src.append('...')`` submissions of at most ``budget`` bytes each."""
    out: list[bytes] = []
    start = 0
    step = max(16, budget // 2)
    while start < len(text):
        end = min(len(text), start + step)
        while True:
            stmt = f"{_PIECES}.append({text[start:end]!r})".encode()
            if len(stmt) <= budget or end - start <= 1:
                break
            end = start + max(1, (end - start) * 3 // 4)
        out.append(stmt)
        start = end
    return out


def plan_program(source: str, budget: int, submission: int) -> Plan:
    """Decide how to send ``source`` to a board without raw-paste.

    ``budget``: the most bytes one submission of the program may have on this board now (its
    free heap allows that much raw-REPL buffer); ``submission``: the size every board of the
    profile always takes (the pieces are made that small).
    """
    data = source.encode("utf-8")
    if len(data) <= budget:
        return Plan(data)
    slim = strip_for_board(source)
    slim_data = slim.encode("utf-8")
    if len(slim_data) <= budget:
        return Plan(slim_data, stripped=slim_data != data)
    loaders = [f"{_PIECES}=[]".encode(), *_pieces(slim, submission)]
    # Rebinding the name frees the list once joined: only one copy of the text stays.
    program = f"{_PIECES}=''.join({_PIECES})\nexec({_PIECES})\n".encode()
    return Plan(program, loaders, stripped=slim_data != data, board_name=EXEC_NAME,
                loader_name=STDIN_NAME)
