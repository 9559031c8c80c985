"""Traceback locations are found in CPython and MicroPython output, and clicks resolve."""

from presenter.core.tracebacks import find_locations, location_at

CPYTHON = """Traceback (most recent call last):
  File "/home/ann/talk/demo.py", line 12, in <module>
    main()
  File "/home/ann/talk/demo.py", line 7, in main
    1 / 0
ZeroDivisionError: division by zero
"""

MICROPYTHON = """Traceback (most recent call last):
  File "<stdin>", line 3, in <module>
  File "main.py", line 41, in blink
NameError: name 'x' isn't defined
"""


def test_cpython_locations_in_order_with_spans():
    found = find_locations(CPYTHON)
    assert [(loc.path, loc.line) for loc in found] == [
        ("/home/ann/talk/demo.py", 12),
        ("/home/ann/talk/demo.py", 7),
    ]
    first = found[0]
    assert CPYTHON[first.start : first.end] == 'File "/home/ann/talk/demo.py", line 12'


def test_micropython_stdin_and_file_forms():
    found = find_locations(MICROPYTHON)
    assert [(loc.path, loc.line) for loc in found] == [("<stdin>", 3), ("main.py", 41)]


def test_syntax_error_and_windows_paths():
    text = '  File "C:\\Users\\ann\\x y.py", line 5\n    print(\n         ^\nSyntaxError: x\n'
    assert [(loc.path, loc.line) for loc in find_locations(text)] == [("C:\\Users\\ann\\x y.py", 5)]


def test_text_without_tracebacks_has_no_locations():
    assert find_locations("hello\nFile not found, line up\n" * 100) == []
    assert find_locations('File "unterminated, line 3\n') == []


def test_location_at_resolves_click_column():
    line = '  File "/tmp/untitled-1.py", line 4, in <module>'
    inside = line.index("untitled")
    hit = location_at(line, inside)
    assert hit is not None and (hit.path, hit.line) == ("/tmp/untitled-1.py", 4)
    assert location_at(line, 0) is None  # the indent is not a link
    assert location_at(line, len(line) - 3) is None  # ", in <module>" is not a link
