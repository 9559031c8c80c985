"""Which indent step a Python file already uses, so Enter and Tab continue in its style.

A file indented with two spaces (or tabs) should not get four-space blocks added by the
editor: the audience would see a ragged block, and Python rejects tabs mixed with spaces.
"""

from __future__ import annotations

from collections import Counter

DEFAULT_UNIT = "    "
_MAX_WIDTH = 8


def detect_indent_unit(text: str, default: str = DEFAULT_UNIT) -> str:
    """The file's indent unit: ``"\\t"`` or 1-8 spaces; ``default`` when the file has no blocks.

    Only the step into a block counts (a line ending in ``:`` followed by a deeper line),
    so continuation lines aligned under an opening bracket do not vote.
    """
    steps: Counter[str] = Counter()
    previous: str | None = None  # the last code line, when it opened a block
    for raw in text.splitlines():
        line = raw.rstrip()
        code = line.lstrip(" \t")
        if not code or code.startswith("#"):
            continue
        indent = line[: len(line) - len(code)]
        if previous is not None and len(indent) > len(previous) and indent.startswith(previous):
            step = indent[len(previous):]
            if set(step) == {"\t"}:
                steps["\t"] += 1
            elif set(step) == {" "} and len(step) <= _MAX_WIDTH:
                steps[step] += 1
        previous = indent if _opens_block(code) else None
    if not steps:
        return default
    # Most votes wins; on a tie prefer the default, then the narrower step.
    return max(steps, key=lambda unit: (steps[unit], unit == default, -len(unit)))


def _opens_block(code: str) -> bool:
    if "#" in code:
        code = code.split("#", 1)[0]
    return code.rstrip().endswith(":")
