"""The indent unit a file already uses (what Enter after ':' and Tab continue with)."""

from __future__ import annotations

import pytest

from presenter.core.indentation import DEFAULT_UNIT, detect_indent_unit


@pytest.mark.parametrize(("text", "unit"), [
    ("def f():\n    return 1\n", "    "),
    ("def f():\n  if x:\n    return 1\n  return 2\n", "  "),
    ("class A:\n\tdef f(self):\n\t\tpass\n", "\t"),
    ("if a:\n   b()\n", "   "),
    # continuation lines aligned under a bracket do not vote
    ("result = compute(a,\n                 b)\nif result:\n  print(result)\n", "  "),
    # comments and blank lines between the block opener and its body are skipped
    ("for i in x:  # loop\n\n  # note\n  print(i)\n", "  "),
])
def test_the_unit_comes_from_the_files_blocks(text, unit):
    assert detect_indent_unit(text) == unit


@pytest.mark.parametrize("text", ["", "x = 1\nprint(x)\n", "x = (1,\n     2)\n"])
def test_a_file_without_blocks_gets_the_default(text):
    assert detect_indent_unit(text) == DEFAULT_UNIT


def test_the_most_common_step_wins():
    text = "if a:\n  b()\nif c:\n  d()\nif e:\n    f()\n"
    assert detect_indent_unit(text) == "  "
