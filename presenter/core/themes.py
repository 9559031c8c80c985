"""Theme files -> colours as data and the window's stylesheet text; WCAG contrast ratios.

Why data files: a theme is something a speaker tunes for one hall's projector, so it lives
in ``themes/<name>.json`` (editor, token, output, banner, chrome and plot colours) plus
``themes/<name>.qss`` (a Qt stylesheet for the whole window) rather than in code. The
stylesheet is a template: ``@font_pt@``, ``@font_pt_large@`` and ``@font_pt_small@``
become point sizes for the current zoom level, so zooming scales toolbar, tabs and status
bar with the editor; ``@section.key@`` (``@ui.panel@``, ``@banner.warning.bg@``) becomes
the colour of that name in the JSON, so each colour is written once.

The ``plot`` section (the live plotter's paper, axis text, grid and one colour per series)
is optional: a theme written before the plotter existed, or one a speaker made, gets
defaults from its output pane colours and a series palette for light or dark paper.

Programs colour their output with ANSI codes; the ``ansi`` section maps the 16 ANSI colours
to ones that read well on this theme's output paper (a theme without one gets a default
palette for light or dark paper).

The debugger's colours (``debug``: the breakpoint dot, the background of the line the
program is paused at, and the arrow beside it) are optional too; a theme without them gets
defaults for light or dark paper that keep every token readable on the paused line.

Terminal colours (the REPL pane's paper, text and cursor) are optional in the JSON: a
``terminal`` section overrides any of them (and, for the REPL alone, any ANSI colour); the
rest come from the theme's output and caret colours and its ``ansi`` palette, so a board's
colours look the same in the output pane and the REPL.

A theme that cannot be loaded raises ThemeError naming the file and the problem; the GUI
then falls back to "day" and shows the message in a banner. No Qt here: ``qt/theming.py``
turns a Theme into QColors, lexer styles and ``setStyleSheet`` calls.

Themes are plugins of the simplest kind: a ``<name>.json`` and ``<name>.qss`` dropped into
``themes/`` beside settings.json (``paths.user_themes_dir()``) join the cycle after the
built-ins (``available_themes``). Each is checked in full when listed, so a malformed one is
named (file and problem) and left out instead of failing when it is chosen on stage. A user
theme may not take a built-in's name: tuning "night" for one hall is done in a copy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presenter import paths

BUILT_IN = ("day", "night", "high-contrast", "colour-blind")

EDITOR_KEYS = (
    "paper", "text", "caret", "caret_line", "selection_bg", "selection_fg",
    "margin_bg", "margin_fg", "brace_match", "find_indicator",
)
# The back row must find the caret and the line it is on: every shipped theme names a caret
# width (pixels at the base font size, drawn wider as the font grows) and the colour of a
# solid bar beside the current line. A theme written before these existed gets defaults.
CARET_WIDTH_DEFAULT = 4
CARET_WIDTH_RANGE = (1, 12)
CURRENT_LINE_BAR = "current_line_bar"  # editor colour; defaults to the caret's
TOKEN_KEYS = (
    "default", "comment", "number", "string", "keyword", "class_name", "function_name",
    "operator", "identifier", "decorator", "triple_string", "unclosed_string",
)
OUTPUT_KEYS = ("paper", "stdout", "stderr", "info", "link", "input")
BANNER_KINDS = ("info", "warning", "error")
BANNER_KEYS = ("bg", "fg", "border")
PLOT_KEYS = ("paper", "text", "grid")
# Series colours when a theme names none: Okabe-Ito hues (told apart with the common colour
# vision deficiencies), darkened for light paper and lightened for dark paper so each line
# keeps at least 3:1 against the plot (WCAG's minimum for graphics; tests check it).
DEFAULT_SERIES_LIGHT = ("#0072b2", "#d55e00", "#00805c", "#a23b72", "#7a6000", "#6a3d9a",
                        "#1b1f24", "#b3261e")
DEFAULT_SERIES_DARK = ("#56b4e9", "#ff9f5a", "#4fd1a5", "#f28cc2", "#f0d060", "#b39dfa",
                       "#e8e6e1", "#ff8a80")
DEBUG_KEYS = ("breakpoint", "paused_line", "paused_arrow")
DEFAULT_DEBUG_LIGHT = {"breakpoint": "#d1242f", "paused_line": "#fff0a8", "paused_arrow": "#9a6700"}
DEFAULT_DEBUG_DARK = {"breakpoint": "#ff6b6b", "paused_line": "#3d3512", "paused_arrow": "#ffd866"}
UI_KEYS = (
    "window", "panel", "text", "muted_text", "border", "accent", "button_hover",
    "button_pressed", "run_bg", "run_text", "stop_bg", "stop_text", "input_bg", "input_text", "tab_bg", "tab_text",
    "tab_active_bg", "tab_active_text", "scrollbar", "scrollbar_handle",
    "tooltip_bg", "tooltip_text",
)

# The 16 ANSI colours in palette order (SGR 30-37, then the bright 90-97).
_ANSI_BASE = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
ANSI_KEYS = _ANSI_BASE + tuple(f"bright_{name}" for name in _ANSI_BASE)
# For themes without an "ansi" section. Terminal palettes assume a black background; these
# keep >= 4.5:1 on light (resp. dark) paper instead, so "white" is a dark grey on light paper
# and "black" a mid grey on dark paper.
DEFAULT_ANSI_LIGHT = (
    "#1b1f24", "#b3261e", "#116b35", "#7a5900", "#0b57d0", "#8e24aa", "#00707a", "#5c6370",
    "#4f5866", "#c42b1c", "#1a7f37", "#8a6500", "#1a5fcf", "#a0309b", "#007a85", "#3d434c",
)
DEFAULT_ANSI_DARK = (
    "#8b949e", "#ff7b72", "#7ee787", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#d0d7de",
    "#a5aeb8", "#ffa198", "#a6f0b0", "#f2cc60", "#a5d6ff", "#e2c5ff", "#8be9f3", "#ffffff",
)
TERMINAL_KEYS = ("paper", "text", "cursor", *ANSI_KEYS)

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_PLACEHOLDER = re.compile(r"@([a-z_][a-z0-9_.\-]*)@")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


class ThemeError(Exception):
    """A theme is missing or broken; ``str()`` names the file and what is wrong."""


@dataclass(frozen=True)
class TokenStyle:
    """How one kind of Python token is drawn. ``paper`` None means the editor's paper."""

    color: str
    bold: bool = False
    italic: bool = False
    paper: str | None = None


@dataclass(frozen=True)
class Theme:
    """One theme's colours (all ``#rrggbb``) and its stylesheet template."""

    name: str
    label: str
    dark: bool
    editor: dict[str, str]
    tokens: dict[str, TokenStyle]
    output: dict[str, str]
    banner: dict[str, dict[str, str]]
    ui: dict[str, str]
    qss_template: str = field(repr=False)
    path: Path | None = None
    plot: dict[str, str] = field(default_factory=dict)  # PLOT_KEYS
    plot_series: tuple[str, ...] = DEFAULT_SERIES_LIGHT  # one colour per series, reused in turn
    ansi: dict[str, str] = field(default_factory=dict)  # ANSI_KEYS -> colour
    terminal: dict[str, str] = field(default_factory=dict)  # TERMINAL_KEYS -> colour
    caret_width: int = CARET_WIDTH_DEFAULT  # pixels at the base font size
    debug: dict[str, str] = field(default_factory=dict)  # DEBUG_KEYS -> colour

    def ansi_palette(self) -> list[str]:
        """The 16 ANSI colours in palette order (what the output pane takes)."""
        defaults = DEFAULT_ANSI_DARK if self.dark else DEFAULT_ANSI_LIGHT
        return [self.ansi.get(key, default) for key, default in zip(ANSI_KEYS, defaults,
                                                                    strict=True)]

    def stylesheet(self, font_pt: int) -> str:
        """The Qt stylesheet with colours and the zoom level's point sizes filled in."""
        return _substitute(self.qss_template, self._values(font_pt), self.path)

    def color(self, key: str) -> str:
        """A colour by dotted name, e.g. ``"editor.paper"`` or ``"banner.error.bg"``."""
        value = self._values(12).get(key)
        if value is None or key.startswith("font_pt"):
            raise KeyError(key)
        return value

    def _values(self, font_pt: int) -> dict[str, str]:
        values = {
            "font_pt": str(font_pt),
            "font_pt_large": str(round(font_pt * 1.25)),
            "font_pt_small": str(max(6, round(font_pt * 0.85))),
        }
        for section in ("editor", "output", "ui", "plot", "ansi", "terminal", "debug"):
            for key, value in getattr(self, section).items():
                values[f"{section}.{key}"] = value
        for key, style in self.tokens.items():
            values[f"tokens.{key}"] = style.color
        for kind, colours in self.banner.items():
            for key, value in colours.items():
                values[f"banner.{kind}.{key}"] = value
        return values


# ---- Public API


def list_themes(directory: Path | None = None) -> list[str]:
    """Theme names found in the themes folder: day, night, high-contrast, then the rest A-Z."""
    folder = directory if directory is not None else paths.themes_dir()
    names = {p.stem for p in folder.glob("*.json") if (folder / f"{p.stem}.qss").is_file()}
    built_in = [name for name in BUILT_IN if name in names]
    return built_in + sorted(names - set(BUILT_IN))


def available_themes(user_folder: Path | None = None) -> tuple[list[str], list[ThemeError]]:
    """The theme cycle: the built-in folder's themes, then the user's good ones (A-Z); and
    a ThemeError for each of the user's that was left out, naming its file and the problem."""
    names = list_themes()
    good, errors = scan_user_themes(user_folder, taken=set(names))
    return names + good, errors


def scan_user_themes(folder: Path | None = None, taken: set[str] | None = None
                     ) -> tuple[list[str], list[ThemeError]]:
    """Load every theme in the user's folder; (the good names A-Z, the problems)."""
    folder = folder if folder is not None else paths.user_themes_dir()
    taken = set(BUILT_IN) if taken is None else taken
    if not folder.is_dir():
        return [], []
    stems = sorted({p.stem for p in folder.iterdir() if p.suffix in (".json", ".qss")})
    good: list[str] = []
    errors: list[ThemeError] = []
    for stem in stems:
        json_path, qss_path = folder / f"{stem}.json", folder / f"{stem}.qss"
        try:
            if not json_path.is_file():
                raise ThemeError(f"{qss_path.name} has no {json_path.name} beside it (a theme "
                                 "is a .json with its colours and a .qss stylesheet).")
            if stem in taken:
                raise ThemeError(f"{json_path.name} has the name of a built-in theme: give "
                                 "it a name of its own.")
            load_theme(stem, folder)
        except ThemeError as exc:
            errors.append(ThemeError(f"The theme '{stem}' in {folder} was left out: {exc}"))
            continue
        good.append(stem)
    return good, errors


def load_theme(name: str, directory: Path | None = None) -> Theme:
    """Read and check ``<name>.json`` and ``<name>.qss``; raise ThemeError if either is bad.

    Without ``directory``: a built-in theme, else one in the user's themes folder.
    """
    if not _NAME.match(name):
        raise ThemeError(f"'{name}' is not a theme name (letters, digits, '-' and '_' only).")
    folder = directory if directory is not None else _folder_of(name)
    json_path = folder / f"{name}.json"
    qss_path = folder / f"{name}.qss"
    data = _read_json(json_path)
    try:
        qss = qss_path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise ThemeError(f"Theme '{name}' has no stylesheet: {qss_path} is missing.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"Theme stylesheet {qss_path} cannot be read: {exc}.") from exc

    where = json_path.name
    dark = _bool(data, "dark", where)
    editor = _colours(data, "editor", EDITOR_KEYS, where)
    editor_section = data["editor"]
    editor[CURRENT_LINE_BAR] = (
        _colour(editor_section[CURRENT_LINE_BAR], f"editor.{CURRENT_LINE_BAR}", where)
        if CURRENT_LINE_BAR in editor_section else editor["caret"])
    output = _colours(data, "output", OUTPUT_KEYS, where)
    ui = _colours(data, "ui", UI_KEYS, where)
    plot, plot_series = _plot(data, where, dark, output, ui)
    ansi = _ansi(data, dark, where)
    theme = Theme(
        name=name,
        label=_string(data, "label", where),
        dark=dark,
        editor=editor,
        tokens=_tokens(data, where),
        output=output,
        banner={kind: _colours(_section(data, "banner", where), kind, BANNER_KEYS,
                               where, prefix="banner.") for kind in BANNER_KINDS},
        ui=ui,
        qss_template=qss,
        path=qss_path,
        plot=plot,
        plot_series=plot_series,
        ansi=ansi,
        terminal=_terminal(data, where, editor, output, ansi),
        caret_width=_caret_width(editor_section, where),
        debug=_debug(data, where, dark),
    )
    theme.stylesheet(12)  # fails now, naming the .qss, if it uses an unknown placeholder
    return theme


def _folder_of(name: str) -> Path:
    built_in = paths.themes_dir()
    if (built_in / f"{name}.json").is_file():
        return built_in
    user = paths.user_themes_dir()
    return user if (user / f"{name}.json").is_file() else built_in


def most_readable(bg_hex: str, candidates: Iterable[str]) -> str:
    """The candidate colour with the highest contrast on ``bg_hex``.

    Why: a program can set an ANSI background without a foreground; the theme's text colour
    might vanish on it, so the view picks whichever of its colours reads best.
    """
    return max(candidates, key=lambda colour: contrast_ratio(colour, bg_hex))


def contrast_ratio(fg_hex: str, bg_hex: str) -> float:
    """WCAG 2.x contrast ratio between two ``#rrggbb`` colours (1.0 to 21.0).

    Why: projectors wash colours out, so every theme is tested against minimum ratios
    (4.5:1 for day/night text, 7:1 for everything in high-contrast and colour-blind).
    """
    lighter, darker = sorted((_luminance(fg_hex), _luminance(bg_hex)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# ---- Checking the files


def _read_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise ThemeError(f"There is no theme file {path}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"Theme file {path} cannot be read: {exc}.") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ThemeError(
            f"Theme file {path} is broken: line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc
    if not isinstance(data, dict):
        raise ThemeError(f"Theme file {path} is broken: it must hold a JSON object.")
    return data


def _section(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ThemeError(f"Theme file {where}: '{key}' is missing or is not an object.")
    return value


def _string(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ThemeError(f"Theme file {where}: '{key}' must be a non-empty string.")
    return value


def _bool(data: dict[str, Any], key: str, where: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ThemeError(f"Theme file {where}: '{key}' must be true or false.")
    return value


def _colour(value: Any, name: str, where: str) -> str:
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise ThemeError(
            f"Theme file {where}: {name} is {value!r}, expected a colour like \"#1f2328\"."
        )
    return value.lower()


def _colours(data: dict[str, Any], key: str, keys: tuple[str, ...], where: str,
             prefix: str = "") -> dict[str, str]:
    section = _section(data, key, where)
    result = {}
    for name in keys:
        if name not in section:
            raise ThemeError(f"Theme file {where}: {prefix}{key}.{name} is missing.")
        result[name] = _colour(section[name], f"{prefix}{key}.{name}", where)
    return result


def _caret_width(section: dict[str, Any], where: str) -> int:
    value = section.get("caret_width", CARET_WIDTH_DEFAULT)
    low, high = CARET_WIDTH_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ThemeError(f"Theme file {where}: editor.caret_width is {value!r}, expected a "
                         f"whole number of pixels from {low} to {high}.")
    return value


def _plot(data: dict[str, Any], where: str, dark: bool, output: dict[str, str],
          ui: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """The plotter's colours; whatever the file leaves out comes from the theme's own colours."""
    section = data.get("plot", {})
    if not isinstance(section, dict):
        raise ThemeError(f"Theme file {where}: 'plot' must be an object.")
    defaults = {"paper": output["paper"], "text": output["stdout"], "grid": ui["border"]}
    plot = {key: _colour(section[key], f"plot.{key}", where) if key in section else defaults[key]
            for key in PLOT_KEYS}
    series = section.get("series")
    if series is None:
        return plot, DEFAULT_SERIES_DARK if dark else DEFAULT_SERIES_LIGHT
    if not isinstance(series, list) or not series:
        raise ThemeError(f"Theme file {where}: plot.series must be a list of colours like "
                         "[\"#0072b2\", \"#d55e00\"].")
    return plot, tuple(_colour(c, f"plot.series[{i}]", where) for i, c in enumerate(series))


def _ansi(data: dict[str, Any], dark: bool, where: str) -> dict[str, str]:
    """The theme's ANSI colours; any it leaves out come from the light or dark default."""
    defaults = dict(zip(ANSI_KEYS, DEFAULT_ANSI_DARK if dark else DEFAULT_ANSI_LIGHT,
                        strict=True))
    section = data.get("ansi", {})
    if not isinstance(section, dict):
        raise ThemeError(f"Theme file {where}: 'ansi' must be an object of colours.")
    unknown = sorted(set(section) - set(ANSI_KEYS))
    if unknown:
        raise ThemeError(f"Theme file {where}: ansi.{unknown[0]} is not an ANSI colour name "
                         f"(use {', '.join(ANSI_KEYS[:8])} and bright_ forms).")
    return {key: _colour(section[key], f"ansi.{key}", where) if key in section else default
            for key, default in defaults.items()}


def _terminal(data: dict[str, Any], where: str, editor: dict[str, str], output: dict[str, str],
              ansi: dict[str, str]) -> dict[str, str]:
    """The REPL pane's colours: the output pane's paper and text, the caret, the theme's ANSI
    palette, then whatever the optional ``terminal`` section says."""
    colours = {"paper": output["paper"], "text": output["stdout"], "cursor": editor["caret"],
               **ansi}
    return _overridden(colours, data, "terminal", TERMINAL_KEYS, where)


def _debug(data: dict[str, Any], where: str, dark: bool) -> dict[str, str]:
    """The debugger's colours: the optional ``debug`` section over light or dark defaults."""
    colours = dict(DEFAULT_DEBUG_DARK if dark else DEFAULT_DEBUG_LIGHT)
    return _overridden(colours, data, "debug", DEBUG_KEYS, where)


def _overridden(colours: dict[str, str], data: dict[str, Any], key: str,
                names: tuple[str, ...], where: str) -> dict[str, str]:
    """``colours`` with whichever of ``names`` the optional section ``key`` sets."""
    if key not in data:
        return colours
    section = _section(data, key, where)
    for name in names:
        if name in section:
            colours[name] = _colour(section[name], f"{key}.{name}", where)
    return colours


def _tokens(data: dict[str, Any], where: str) -> dict[str, TokenStyle]:
    section = _section(data, "tokens", where)
    result = {}
    for name in TOKEN_KEYS:
        spec = section.get(name)
        if spec is None:
            raise ThemeError(f"Theme file {where}: tokens.{name} is missing.")
        if isinstance(spec, str):
            spec = {"color": spec}
        if not isinstance(spec, dict):
            raise ThemeError(f"Theme file {where}: tokens.{name} must be a colour or an object.")
        for flag in ("bold", "italic"):
            if not isinstance(spec.get(flag, False), bool):
                raise ThemeError(f"Theme file {where}: tokens.{name}.{flag} must be true or false.")
        paper = spec.get("paper")
        result[name] = TokenStyle(
            color=_colour(spec.get("color"), f"tokens.{name}.color", where),
            bold=spec.get("bold", False),
            italic=spec.get("italic", False),
            paper=None if paper is None else _colour(paper, f"tokens.{name}.paper", where),
        )
    return result


def _substitute(template: str, values: dict[str, str], path: Path | None) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ThemeError(f"Theme stylesheet {path}: unknown placeholder @{key}@.")
        return values[key]

    return _PLACEHOLDER.sub(replace, template)


def _luminance(hex_colour: str) -> float:
    if not _COLOUR.match(hex_colour):
        raise ValueError(f"expected a colour like #1f2328, not {hex_colour!r}")
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
