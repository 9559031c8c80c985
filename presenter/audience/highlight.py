"""Syntax highlighting for the audience page and the handout, done with Pygments.

Code becomes ``[css_class, text]`` runs (Pygments' short class names, ``k`` for a keyword),
never HTML: the page puts each run's text into a span with ``textContent`` and the handout
escapes it, so code that contains ``</script>`` or markup can only ever show as text.
"""

from __future__ import annotations

import html
from functools import lru_cache

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import PythonLexer, TextLexer, get_lexer_for_filename
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
#: Longer code is shown as plain text: lexing it on every keystroke would cost the server.
MAX_HIGHLIGHT_CHARS = 200_000

TokenRun = list  # [css_class, text]; a list, because it goes to JSON as is


def code_runs(text: str, file_name: str = "") -> list[TokenRun]:
    """``text`` as [class, text] runs; joined, the texts give ``text`` back exactly."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_HIGHLIGHT_CHARS:
        return [["", text]]
    runs: list[TokenRun] = []
    for token_type, value in _lexer_for(file_name).get_tokens(text):
        css = _css_class(token_type)
        if runs and runs[-1][0] == css:
            runs[-1][1] += value
        else:
            runs.append([css, value])
    return runs


def runs_to_html(runs: list[TokenRun]) -> str:
    """Escaped HTML spans for the runs (the handout's code blocks)."""
    parts = []
    for css, text in runs:
        escaped = html.escape(text, quote=False)
        parts.append(f'<span class="{css}">{escaped}</span>' if css else escaped)
    return "".join(parts)


@lru_cache(maxsize=1)
def stylesheet(scope: str = ".code") -> str:
    """CSS for the runs' classes under ``scope``: light, and dark when the reader's is."""
    # A list of rules (one per token type), not a string: joined, or it is not CSS at all.
    light = "\n".join(HtmlFormatter(style=LIGHT_STYLE).get_token_style_defs(scope))
    dark = "\n".join(HtmlFormatter(style=DARK_STYLE).get_token_style_defs(scope))
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


@lru_cache(maxsize=32)
def _lexer_for(file_name: str) -> Lexer:
    """Python for .py and unnamed tabs (every mode runs Python); others by their name."""
    options = {"stripnl": False, "ensurenl": False}
    if not file_name or file_name.lower().endswith((".py", ".pyw")) or "." not in file_name:
        return PythonLexer(**options)
    try:
        return get_lexer_for_filename(file_name, **options)
    except ClassNotFound:
        return TextLexer(**options)


@lru_cache(maxsize=256)
def _css_class(token_type) -> str:
    """Pygments' short class for a token type, or its nearest ancestor's (as HtmlFormatter)."""
    while token_type not in STANDARD_TYPES:
        token_type = token_type.parent
    return STANDARD_TYPES[token_type]
