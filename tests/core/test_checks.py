"""Check (pyflakes + pycodestyle -> Problems) and Tidy (black), headless, and their child process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from presenter.core.checks import (
    ERROR,
    STYLE,
    WARNING,
    Problem,
    TidyError,
    check_source,
    problems_from_reply,
    tidy_source,
)

# Known findings: an unused import (pyflakes warning), missing spaces around '=' and no two
# blank lines before a def (pycodestyle), an undefined name (pyflakes error).
FLAWED = "import os\nx=1\ndef f():\n    return y\n"


def test_check_reports_pyflakes_and_pycodestyle_findings_on_their_lines():
    problems = check_source(FLAWED)
    found = [(p.line, p.kind, p.code, p.message) for p in problems]
    assert found == [
        (1, WARNING, "UnusedImport", "'os' imported but unused"),
        (2, STYLE, "E225", "missing whitespace around operator (E225)"),
        (3, STYLE, "E302", "expected 2 blank lines, found 0 (E302)"),
        (4, ERROR, "UndefinedName", "undefined name 'y'"),
    ]
    assert problems[3].column == 12  # the 'y'


def test_clean_code_has_no_findings():
    assert check_source("import os\n\nprint(os.getcwd())\n") == []


def test_code_that_does_not_parse_reports_only_the_syntax_error():
    problems = check_source("x=1\nprint('a'\ny = 2\n")
    assert len(problems) == 1
    assert problems[0].kind == ERROR and problems[0].line == 2
    assert "never closed" in problems[0].message


def test_tidy_formats_with_black():
    assert tidy_source("x=1\nprint( x ,'a')\n") == 'x = 1\nprint(x, "a")\n'


def test_tidy_of_a_syntax_error_says_which_line():
    with pytest.raises(TidyError) as caught:
        tidy_source("a = 1\nb = (2,\nc = 3\n")
    assert caught.value.line == 2
    assert "never closed" in caught.value.message


def test_check_agrees_with_tidy_on_slices_and_line_length():
    """What black writes (a 88-column line, spaces around ':' in a slice) is not a finding."""
    source = ("items = list(range(10))\nlower, upper, offset = 1, 5, 2\n"
              "part = items[lower+offset:upper+offset]\n"
              "message = 'a line that black keeps as it is, because it is still under its limit: yes it is'\n")
    tidied = tidy_source(source)
    assert "items[lower + offset : upper + offset]" in tidied
    assert max(len(line) for line in tidied.splitlines()) > 79
    assert check_source(tidied) == []


def run_child(action: str, source: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "presenter.core.checks", action],
                            input=source.encode("utf-8"), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_the_child_process_answers_check_and_tidy_in_json():
    assert problems_from_reply(run_child("check", FLAWED)) == check_source(FLAWED)
    assert run_child("tidy", "x=1\n") == {"text": "x = 1\n"}
    error = problems_from_reply(run_child("tidy", "x = (\n"))
    assert error == [Problem(1, 5, "'(' was never closed", ERROR, "SyntaxError")]


def test_the_child_keeps_non_ascii_text_intact():
    source = "nom = 'Zoë ✓'\nprint(nom)\n"
    assert run_child("tidy", source) == {"text": source.replace("'", '"')}
