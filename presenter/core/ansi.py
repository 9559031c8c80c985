"""What ANSI escape sequences mean: SGR styles and CSI parameters, for both terminal models.

The output pane (``core.terminal``: a line rewritten by ``\\r``) and the REPL pane
(``core.terminal_screen``: a cursor screen) read the same sequences. This module is the one
place that says what ``ESC [ 1;31 m`` does to a style and what the number in ``ESC [ 5 D`` is,
so the two panes cannot drift apart; each model keeps its own job (which sequences it acts on,
and how it moves its cursor).

* ``Style``: palette indexes (0-15; the theme gives the colours) and bold/italic/underline/
  inverse, interned and hashed by one int because floods look styles up millions of times.
* ``apply_sgr``: the style after an SGR sequence (``ESC [ params m``), 256-colour and true
  colour included.
* ``csi_params`` / ``csi_number``: a CSI sequence's parameters as numbers.
* ``CSI``: the pattern of one whole CSI sequence, which both models' tokenisers build on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A whole CSI sequence: parameters 0x30-0x3F, intermediates 0x20-0x2F, a final 0x40-0x7E
# (ECMA-48 5.4). A pattern string, so a model can join it with the other escapes it handles.
CSI = r"\x1b\[(?P<params>[0-?]*)(?P<intermediates>[ -/]*)(?P<final>[@-~])"
CSI_SEQUENCE = re.compile(CSI)

# xterm's default RGB for the 16 palette slots: 256-colour and true-colour requests are mapped
# to the nearest slot, so every colour a program asks for comes from the theme's palette
# (and keeps the theme's contrast on a projector).
_XTERM_16 = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
)
_CUBE_LEVELS = (0, 95, 135, 175, 215, 255)


@dataclass(frozen=True, eq=False)
class Style:
    """Text attributes set by SGR codes. ``fg``/``bg``: palette index 0-15, None = default.

    Styles are compared and hashed by ``code``, one int, because the output path looks them
    up once per coloured run (a coloured flood has millions); ``Style.of`` interns them, so
    equal styles are usually the same object as well (``apply_sgr`` only returns interned
    ones, which lets a model compare with ``is`` first).
    """

    fg: int | None = None
    bg: int | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    inverse: bool = False
    code: int = field(init=False, repr=False)
    """The style packed into one int (a Qt text format keeps it to recolour later)."""
    _after: dict[str, Style] = field(init=False, repr=False)  # SGR params -> resulting style
    marks_blanks: bool = field(init=False, repr=False)
    """Spaces look different in this style (a background, underline or inverse)."""

    def __post_init__(self) -> None:
        fg = 31 if self.fg is None else self.fg
        bg = 31 if self.bg is None else self.bg
        flags = self.bold | self.italic << 1 | self.underline << 2 | self.inverse << 3
        object.__setattr__(self, "code", fg | bg << 5 | flags << 10)
        object.__setattr__(self, "_after", {})
        object.__setattr__(self, "marks_blanks",
                           self.bg is not None or self.underline or self.inverse)

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Style) and self.code == other.code)

    def __hash__(self) -> int:
        return self.code

    @staticmethod
    def of(fg: int | None = None, bg: int | None = None, bold: bool = False,
           italic: bool = False, underline: bool = False, inverse: bool = False) -> Style:
        key = (fg, bg, bold, italic, underline, inverse)
        style = _INTERNED.get(key)
        if style is None:
            style = _INTERNED[key] = Style(*key)
        return style

    def after(self, params: str) -> Style:
        """The style once ``ESC [ params m`` has been applied, colours mapped to the nearest
        palette slot (the output pane's reading; cached per style, so a flood parses each
        sequence once)."""
        style = self._after.get(params)
        if style is None:
            if len(self._after) > 256:  # programs use a handful of sequences; stay bounded
                self._after.clear()
            style = self._after[params] = apply_sgr(self, csi_params(params))
        return style

    @staticmethod
    def from_code(code: int) -> Style:
        fg, bg, flags = code & 31, code >> 5 & 31, code >> 10
        return Style.of(None if fg == 31 else fg, None if bg == 31 else bg,
                        bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8))


_INTERNED: dict[tuple, Style] = {}
PLAIN = Style.of()

# The SGR codes that set one attribute: code -> (index into the attribute list, new value).
_FG, _BG, _BOLD, _ITALIC, _UNDERLINE, _INVERSE = range(6)
_SETS: dict[int, tuple[int, int | bool | None]] = {
    1: (_BOLD, True), 21: (_BOLD, False), 22: (_BOLD, False),
    3: (_ITALIC, True), 23: (_ITALIC, False),
    4: (_UNDERLINE, True), 24: (_UNDERLINE, False),
    7: (_INVERSE, True), 27: (_INVERSE, False),
    39: (_FG, None), 49: (_BG, None),
    **{30 + i: (_FG, i) for i in range(8)}, **{90 + i: (_FG, 8 + i) for i in range(8)},
    **{40 + i: (_BG, i) for i in range(8)}, **{100 + i: (_BG, 8 + i) for i in range(8)},
}


def apply_sgr(style: Style, params: list[int | None]) -> Style:
    """The style after ``ESC [ params m`` (Select Graphic Rendition) is applied to ``style``.

    ``params`` as ``csi_params`` gives them; none at all, or an empty one, means 0 (reset).
    Codes it does not know (blink, fonts...) change nothing. The 256-colour and RGB forms
    (``38;5;n``, ``38;2;r;g;b``, and 48 for the background) always consume their numbers, so
    those are never mistaken for attributes; a colour outside the 16 palette slots becomes the
    nearest slot, in the output pane and the REPL pane alike. Only the theme's palette is
    shown: a projector theme decides what is readable, not the program.
    """
    attrs: list = [style.fg, style.bg, style.bold, style.italic, style.underline, style.inverse]
    codes = params or [0]
    i, count = 0, len(codes)
    while i < count:
        code = codes[i] or 0
        if code == 0:
            attrs = [None, None, False, False, False, False]
        elif code == 38 or code == 48:
            colour, used = _extended_colour(codes[i + 1 :])
            attrs[_FG if code == 38 else _BG] = colour
            i += used
        else:
            change = _SETS.get(code)
            if change is not None:
                attrs[change[0]] = change[1]
        i += 1
    return Style.of(*attrs)


def _extended_colour(args: list[int | None]) -> tuple[int | None, int]:
    """(palette slot or None, how many of ``args`` it used) for what follows SGR 38 or 48.

    ``5;n`` is a 256-colour index (0-15 are the palette slots themselves, then a 6x6x6 cube
    and a grey ramp); ``2;r;g;b`` a true colour. Those beyond the palette become the nearest
    slot by xterm's default RGB. A form cut short uses what is
    there and gives None; another selector is skipped on its own.
    """
    if not args:
        return None, 0
    if args[0] == 5:
        if len(args) < 2:
            return None, 1
        n = args[1] or 0  # an empty parameter is its default, 0 (ECMA-48)
        if n < 16:
            return n, 2
        return _nearest(_rgb_of_index(n)), 2
    if args[0] == 2:
        used = min(4, len(args))
        if used < 4:
            return None, used
        return _nearest(tuple(min(c or 0, 255) for c in args[1:4])), 4
    return None, 1


def palette_slot(index: int | None = None, rgb: tuple[int, int, int] | None = None) -> int:
    """The palette slot (0-15) a 256-colour ``index`` or a true colour ``rgb`` is drawn in.

    For terminals that parse SGR themselves (qtconsole's), so they too draw every colour
    from the theme's palette.
    """
    if rgb is not None:
        return _nearest(tuple(max(0, min(int(c), 255)) for c in rgb))
    n = index or 0
    return n if n < 16 else _nearest(_rgb_of_index(n))


def _rgb_of_index(n: int) -> tuple[int, int, int]:
    """xterm's RGB for 256-colour index ``n`` >= 16 (larger ones clamp to the last grey)."""
    if n < 232:
        n -= 16
        return _CUBE_LEVELS[n // 36], _CUBE_LEVELS[n // 6 % 6], _CUBE_LEVELS[n % 6]
    level = 8 + 10 * (min(n, 255) - 232)
    return level, level, level


def _nearest(rgb: tuple[int, ...]) -> int:
    return min(range(16), key=lambda i: sum((a - b) ** 2 for a, b in zip(rgb, _XTERM_16[i],
                                                                        strict=True)))


def csi_params(text: str) -> list[int | None]:
    """A CSI sequence's parameters: ``"1;;31"`` -> [1, None, 31] (None: left empty, which
    means the default); ``:`` separates too (``38:5:196``); junk -> None; ``""`` -> []."""
    if not text:
        return []
    return [int(part) if part.isdigit() else None for part in text.replace(":", ";").split(";")]


def csi_number(params: str, default: int) -> int:
    """The first parameter of a CSI sequence (``ESC [ 5 D`` -> 5), or ``default`` when it is
    missing or 0 (a count of 0 means 1 in ECMA-48, and the modes the models read default to 0)."""
    numbers = csi_params(params)
    return (numbers[0] or default) if numbers else default
