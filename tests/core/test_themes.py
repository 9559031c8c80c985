"""Themes: the shipped files load, are complete, readable on a projector, and fail clearly."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from presenter import paths
from presenter.core.themes import (
    ANSI_KEYS,
    BANNER_KEYS,
    BANNER_KINDS,
    CARET_WIDTH_DEFAULT,
    CURRENT_LINE_BAR,
    DEFAULT_ANSI_DARK,
    DEFAULT_ANSI_LIGHT,
    DEFAULT_DEBUG_LIGHT,
    DEFAULT_SERIES_DARK,
    DEFAULT_SERIES_LIGHT,
    EDITOR_KEYS,
    OUTPUT_KEYS,
    PLOT_KEYS,
    TERMINAL_KEYS,
    TOKEN_KEYS,
    UI_KEYS,
    ThemeError,
    available_themes,
    contrast_ratio,
    list_themes,
    load_theme,
    most_readable,
)

BUILT_IN = ["day", "night", "high-contrast", "colour-blind"]
#: The themes made for projectors: every syntax colour at least 7:1 on its background.
PROJECTOR = ["high-contrast", "colour-blind"]
HEX = re.compile(r"^#[0-9a-f]{6}$")


@pytest.fixture(scope="module")
def themes():
    return {name: load_theme(name) for name in BUILT_IN}


def _copy_themes(tmp_path):
    for name in BUILT_IN:
        for ext in ("json", "qss"):
            shutil.copy(paths.themes_dir() / f"{name}.{ext}", tmp_path / f"{name}.{ext}")
    return tmp_path


def test_list_themes_orders_built_ins_first(tmp_path):
    assert list_themes()[:4] == BUILT_IN
    folder = _copy_themes(tmp_path)
    for extra in ("zebra", "aurora"):
        shutil.copy(folder / "night.json", folder / f"{extra}.json")
        shutil.copy(folder / "night.qss", folder / f"{extra}.qss")
    (folder / "half.json").write_text("{}")  # no stylesheet: not a theme
    assert list_themes(folder) == BUILT_IN + ["aurora", "zebra"]


def test_every_built_in_loads_with_every_colour(themes):
    for name, theme in themes.items():
        assert theme.name == name and theme.label
        assert set(theme.editor) == {*EDITOR_KEYS, CURRENT_LINE_BAR}
        assert set(theme.tokens) == set(TOKEN_KEYS)
        assert set(theme.output) == set(OUTPUT_KEYS)
        assert set(theme.ui) == set(UI_KEYS)
        assert set(theme.banner) == set(BANNER_KINDS)
        colours = [*theme.editor.values(), *theme.output.values(), *theme.ui.values()]
        colours += [t.color for t in theme.tokens.values()]
        colours += [t.paper for t in theme.tokens.values() if t.paper]
        colours += [c for kind in theme.banner.values() for c in kind.values()]
        for banner in theme.banner.values():
            assert set(banner) == set(BANNER_KEYS)
        assert all(HEX.match(c) for c in colours), name


def test_dark_flags_match_the_paper(themes):
    assert themes["day"].dark is False
    assert themes["night"].dark is True
    assert themes["high-contrast"].dark is True
    # day is light but not glaring pure white on a projector
    assert themes["day"].editor["paper"] != "#ffffff"
    assert contrast_ratio(themes["day"].editor["paper"], "#000000") > 15


def test_high_contrast_is_black_white_yellow(themes):
    hc = themes["high-contrast"]
    assert hc.editor["paper"] == "#000000"
    assert hc.editor["text"] == "#ffffff"
    assert hc.tokens["keyword"].color == "#ffff00"


@pytest.mark.parametrize("name, minimum", [("day", 4.5), ("night", 4.5), ("high-contrast", 7.0),
                                           ("colour-blind", 7.0)])
def test_text_and_tokens_are_readable(themes, name, minimum):
    theme = themes[name]
    editor = theme.editor
    pairs = {
        "text": (editor["text"], editor["paper"]),
        "text on caret line": (editor["text"], editor["caret_line"]),
        "text on matched brace": (editor["text"], editor["brace_match"]),
        "selection": (editor["selection_fg"], editor["selection_bg"]),
        "margin": (editor["margin_fg"], editor["margin_bg"]),
    }
    for key, style in theme.tokens.items():
        pairs[f"token {key}"] = (style.color, style.paper or editor["paper"])
        pairs[f"token {key} on caret line"] = (style.color, style.paper or editor["caret_line"])
    for key in ("stdout", "stderr", "info", "link", "input"):
        pairs[f"output {key}"] = (theme.output[key], theme.output["paper"])
    for kind, colours in theme.banner.items():
        pairs[f"banner {kind}"] = (colours["fg"], colours["bg"])
    ui = theme.ui
    pairs["toolbar"] = (ui["text"], ui["panel"])
    pairs["run button"] = (ui["run_text"], ui["run_bg"])
    pairs["stop button"] = (ui["stop_text"], ui["stop_bg"])
    pairs["tab"] = (ui["tab_text"], ui["tab_bg"])
    pairs["current tab"] = (ui["tab_active_text"], ui["tab_active_bg"])
    pairs["input"] = (ui["input_text"], ui["input_bg"])
    pairs["tooltip"] = (ui["tooltip_text"], ui["tooltip_bg"])
    low = {k: round(contrast_ratio(*v), 2) for k, v in pairs.items() if contrast_ratio(*v) < minimum}
    assert low == {}


@pytest.mark.parametrize("name, minimum", [("day", 4.5), ("night", 4.5), ("high-contrast", 7.0),
                                           ("colour-blind", 7.0)])
def test_ansi_palette_reads_on_the_output_paper(themes, name, minimum):
    """Program colours (SGR 30-37, 90-97) as text, and as backgrounds under the pane's pick."""
    theme = themes[name]
    data = json.loads((paths.themes_dir() / f"{name}.json").read_text())
    assert list(data["ansi"]) == list(ANSI_KEYS)  # the file spells out its palette
    paper, text = theme.output["paper"], theme.output["stdout"]
    palette = theme.ansi_palette()
    assert len(palette) == 16 and all(HEX.match(c) for c in palette)
    low = {}
    for key, colour in zip(ANSI_KEYS, palette, strict=True):
        if contrast_ratio(colour, paper) < minimum:
            low[f"ansi {key} text"] = round(contrast_ratio(colour, paper), 2)
        on_it = most_readable(colour, (text, paper))
        if contrast_ratio(on_it, colour) < minimum:
            low[f"text on ansi {key}"] = round(contrast_ratio(on_it, colour), 2)
    assert low == {}


def test_theme_without_ansi_section_gets_a_default_palette(tmp_path):
    folder = _copy_themes(tmp_path)
    for name, expected in (("day", DEFAULT_ANSI_LIGHT), ("night", DEFAULT_ANSI_DARK)):
        data = json.loads((folder / f"{name}.json").read_text())
        del data["ansi"]
        (folder / f"{name}.json").write_text(json.dumps(data))
        assert load_theme(name, folder).ansi_palette() == list(expected)
    data = json.loads((folder / "night.json").read_text())
    data["ansi"] = {"red": "#FF0000"}  # a theme may change only some
    (folder / "night.json").write_text(json.dumps(data))
    palette = load_theme("night", folder).ansi_palette()
    assert palette[1] == "#ff0000" and palette[2] == DEFAULT_ANSI_DARK[2]
    assert load_theme("night", folder).color("ansi.red") == "#ff0000"


def test_bad_ansi_colours_are_named(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "day.json").read_text())
    data["ansi"]["bright_red"] = "red"
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"day\.json: ansi\.bright_red is 'red'"):
        load_theme("day", folder)
    data["ansi"]["bright_red"] = "#ff0000"
    data["ansi"]["orange"] = "#ff8800"
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"ansi\.orange is not an ANSI colour name"):
        load_theme("day", folder)


@pytest.mark.parametrize("name, minimum", [("day", 4.5), ("night", 4.5), ("high-contrast", 7.0),
                                           ("colour-blind", 7.0)])
def test_terminal_colours_are_complete_and_readable(themes, name, minimum):
    """The REPL pane's 16 ANSI colours and its text all read on the pane's paper."""
    terminal = themes[name].terminal
    assert set(terminal) == set(TERMINAL_KEYS) and all(HEX.match(c) for c in terminal.values())
    assert terminal["paper"] == themes[name].output["paper"]
    paper = terminal["paper"]
    low = {key: round(contrast_ratio(colour, paper), 2) for key, colour in terminal.items()
           if key not in ("paper", "cursor") and contrast_ratio(colour, paper) < minimum}
    assert low == {}
    assert contrast_ratio(terminal["cursor"], paper) >= 3.0  # WCAG 1.4.11 for a UI component
    assert themes[name].color("terminal.red") == terminal["red"]


def test_terminal_section_overrides_defaults_and_is_checked(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "night.json").read_text())
    data["terminal"] = {"red": "#FF0000", "cursor": "#00ff00"}
    (folder / "night.json").write_text(json.dumps(data))
    night = load_theme("night", folder)
    assert night.terminal["red"] == "#ff0000" and night.terminal["cursor"] == "#00ff00"
    assert night.terminal["green"] == load_theme("night").terminal["green"]  # default kept
    data["terminal"]["blue"] = "navy"
    (folder / "night.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"night\.json: terminal\.blue is 'navy'"):
        load_theme("night", folder)


def test_stylesheet_substitutes_font_sizes_and_colours(themes):
    day = themes["day"]
    small, big = day.stylesheet(12), day.stylesheet(24)
    assert "@" not in small and "@" not in big
    assert "font-size: 24pt" in big and "font-size: 30pt" in big  # Run button is larger
    assert "font-size: 12pt" in small and "font-size: 24pt" not in small
    assert day.ui["run_bg"] in big
    assert "#Banner" in big and 'kind="warning"' in big and "#OutputPane" in big
    assert "#FindBar" in big and "QStatusBar" in big and "QTabBar::tab" in big
    warning = re.search(r'QFrame#Banner\[kind="warning"\] \{([^}]*)\}', big).group(1)
    assert day.banner["warning"]["bg"] in warning
    assert day.color("banner.error.fg") == day.banner["error"]["fg"]
    with pytest.raises(KeyError):
        day.color("font_pt")


def test_stylesheets_parse_in_qt(themes, qapp):
    """Qt ignores a stylesheet it cannot parse, with only a warning: catch that here."""
    from PyQt5 import QtCore, QtWidgets

    messages: list[str] = []
    previous = QtCore.qInstallMessageHandler(lambda mode, ctx, msg: messages.append(msg))
    try:
        for name, theme in [*themes.items(), ("broken", None)]:
            window = QtWidgets.QMainWindow()
            window.setStyleSheet(theme.stylesheet(18) if theme else "QWidget { color: red;")
            window.addToolBar("tools").addAction("Run")
            window.setCentralWidget(QtWidgets.QPlainTextEdit())
            window.show()
            qapp.processEvents()
            window.close()
            parse_errors = [m for m in messages if "Could not parse" in m]
            assert bool(parse_errors) == (theme is None), (name, parse_errors)
            messages.clear()
    finally:
        QtCore.qInstallMessageHandler(previous)


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")
    with pytest.raises(ValueError):
        contrast_ratio("blue", "#ffffff")


# ---- Failures name the file


def test_broken_json_names_the_file_and_line(tmp_path):
    folder = _copy_themes(tmp_path)
    (folder / "night.json").write_text('{\n  "label": "Night",\n  "dark": true,,\n}')
    with pytest.raises(ThemeError, match=r"night\.json is broken: line 3"):
        load_theme("night", folder)


def test_missing_colour_and_bad_colour_are_named(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "day.json").read_text())
    del data["editor"]["caret"]
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"day\.json: editor\.caret is missing"):
        load_theme("day", folder)
    data["editor"]["caret"] = "blue"
    data["tokens"]["keyword"]["bold"] = "yes"
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"day\.json: editor\.caret is 'blue'"):
        load_theme("day", folder)
    data["editor"]["caret"] = "#123456"
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"tokens\.keyword\.bold must be true or false"):
        load_theme("day", folder)


def test_missing_theme_and_missing_stylesheet(tmp_path):
    folder = _copy_themes(tmp_path)
    with pytest.raises(ThemeError, match=r"no theme file .*solarized\.json"):
        load_theme("solarized", folder)
    (folder / "night.qss").unlink()
    with pytest.raises(ThemeError, match=r"night\.qss is missing"):
        load_theme("night", folder)
    with pytest.raises(ThemeError, match="not a theme name"):
        load_theme("../day", folder)


def test_unknown_placeholder_is_caught_at_load(tmp_path):
    folder = _copy_themes(tmp_path)
    with open(folder / "day.qss", "a") as handle:
        handle.write("QLabel { color: @ui.nonexistent@; }\n")
    with pytest.raises(ThemeError, match=r"day\.qss: unknown placeholder @ui\.nonexistent@"):
        load_theme("day", folder)


# ---- The plotter's colours


@pytest.mark.parametrize("name, minimum", [("day", 3.0), ("night", 3.0), ("high-contrast", 7.0),
                                           ("colour-blind", 3.0)])
def test_plot_lines_and_axis_text_stand_out_from_the_plot_paper(themes, name, minimum):
    theme = themes[name]
    paper = theme.plot["paper"]
    assert set(theme.plot) == set(PLOT_KEYS)
    assert len(theme.plot_series) >= 6 and len(set(theme.plot_series)) == len(theme.plot_series)
    low = {c: round(contrast_ratio(c, paper), 2) for c in theme.plot_series
           if contrast_ratio(c, paper) < minimum}  # 3:1 is WCAG's minimum for graphics
    assert low == {}
    text_minimum = 7.0 if name in PROJECTOR else 4.5
    assert contrast_ratio(theme.plot["text"], paper) >= text_minimum
    assert theme.color("plot.paper") == paper  # a stylesheet may use @plot.paper@


def test_a_theme_without_plot_colours_gets_readable_defaults(tmp_path):
    folder = _copy_themes(tmp_path)
    for name in ("day", "night"):
        data = json.loads((folder / f"{name}.json").read_text())
        del data["plot"]
        (folder / f"{name}.json").write_text(json.dumps(data))
    day, night = load_theme("day", folder), load_theme("night", folder)
    assert day.plot == {"paper": day.output["paper"], "text": day.output["stdout"],
                        "grid": day.ui["border"]}
    assert day.plot_series == DEFAULT_SERIES_LIGHT and night.plot_series == DEFAULT_SERIES_DARK
    for theme in (day, night):
        assert min(contrast_ratio(c, theme.plot["paper"]) for c in theme.plot_series) >= 3.0


def test_bad_plot_colours_are_named(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "night.json").read_text())
    data["plot"] = {"grid": "grey"}
    (folder / "night.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"night\.json: plot\.grid is 'grey'"):
        load_theme("night", folder)
    data["plot"] = {"series": ["#112233", "red"]}
    (folder / "night.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"plot\.series\[1\] is 'red'"):
        load_theme("night", folder)
    data["plot"] = {"series": []}
    (folder / "night.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"plot\.series must be a list of colours"):
        load_theme("night", folder)


# ---- Themes the user drops into the config folder


def _user_theme(folder, name: str, label: str, change=None, qss: bool = True) -> None:
    """A copy of night as ``name``; ``change(data)`` edits its JSON first."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads((paths.themes_dir() / "night.json").read_text())
    data["label"] = label
    if change is not None:
        change(data)
    (folder / f"{name}.json").write_text(json.dumps(data))
    if qss:
        shutil.copy(paths.themes_dir() / "night.qss", folder / f"{name}.qss")


def test_user_themes_follow_the_built_ins_and_bad_ones_are_named_and_left_out():
    folder = paths.user_themes_dir()
    assert folder == paths.config_dir() / "themes"  # beside settings.json
    assert available_themes() == (BUILT_IN, [])  # no folder yet: nothing to add
    _user_theme(folder, "hall", "Hall (tuned for the big room)")
    _user_theme(folder, "aurora", "Aurora")
    _user_theme(folder, "broken", "Broken", change=lambda d: d["editor"].pop("caret"))
    _user_theme(folder, "lonely", "No stylesheet", qss=False)
    shutil.copy(paths.themes_dir() / "night.qss", folder / "orphan.qss")
    _user_theme(folder, "day", "Day, edited")
    _user_theme(folder, "two words", "Bad name")

    names, problems = available_themes()
    assert names == BUILT_IN + ["aurora", "hall"]
    texts = sorted(str(p) for p in problems)
    where = f"in {folder} was left out: "
    assert texts == sorted([
        f"The theme 'broken' {where}Theme file broken.json: editor.caret is missing.",
        f"The theme 'day' {where}day.json has the name of a built-in theme: give it a name "
        "of its own.",
        f"The theme 'lonely' {where}Theme 'lonely' has no stylesheet: {folder / 'lonely.qss'} "
        "is missing.",
        f"The theme 'orphan' {where}orphan.qss has no orphan.json beside it (a theme is a "
        ".json with its colours and a .qss stylesheet).",
        f"The theme 'two words' {where}'two words' is not a theme name (letters, digits, '-' "
        "and '_' only).",
    ])
    hall = load_theme("hall")  # found in the user's folder without being told where
    assert hall.label == "Hall (tuned for the big room)" and hall.path == folder / "hall.qss"
    assert load_theme("day").path == paths.themes_dir() / "day.qss"  # built-ins come first


@pytest.mark.parametrize("name, minimum", [("day", 4.5), ("night", 4.5), ("high-contrast", 7.0),
                                           ("colour-blind", 7.0)])
def test_code_reads_on_the_paused_line_and_the_debug_marks_stand_out(themes, name, minimum):
    """The line a debugged program is paused at keeps every token readable, and the
    breakpoint dot and the arrow stand out from the margin (3:1, WCAG's minimum for marks)."""
    theme = themes[name]
    line = theme.debug["paused_line"]
    pairs = {"text": (theme.editor["text"], line)}
    for key, style in theme.tokens.items():
        if style.paper is None:
            pairs[f"token {key}"] = (style.color, line)
    low = {k: round(contrast_ratio(*v), 2) for k, v in pairs.items() if contrast_ratio(*v) < minimum}
    assert low == {}
    for mark in ("breakpoint", "paused_arrow"):
        assert contrast_ratio(theme.debug[mark], theme.editor["margin_bg"]) >= 3.0, mark
    assert line != theme.editor["caret_line"]  # the paused line is told apart from the caret's


def test_debug_colours_are_optional_and_checked(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "day.json").read_text())
    data.pop("debug", None)
    (folder / "day.json").write_text(json.dumps(data))
    assert load_theme("day", folder).debug == DEFAULT_DEBUG_LIGHT
    data["debug"] = {"paused_line": "#ffe0e0"}
    (folder / "day.json").write_text(json.dumps(data))
    assert load_theme("day", folder).debug == {**DEFAULT_DEBUG_LIGHT, "paused_line": "#ffe0e0"}
    data["debug"] = {"breakpoint": "red"}
    (folder / "day.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"day\.json: debug\.breakpoint is 'red'"):
        load_theme("day", folder)


# ---- Readable from the back row


def _raw(name: str) -> dict:
    """A shipped theme file as written, not as the loader completes it."""
    return json.loads((paths.themes_dir() / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PROJECTOR)
def test_every_syntax_colour_of_the_projector_themes_reaches_7_to_1(name):
    """Computed from the file itself: each token on its own paper, or the editor's paper and
    the current-line band it crosses when the caret is on its line."""
    data = _raw(name)
    editor = data["editor"]
    low = {}
    for token, spec in data["tokens"].items():
        spec = {"color": spec} if isinstance(spec, str) else spec
        backgrounds = [spec["paper"]] if "paper" in spec else [editor["paper"], editor["caret_line"]]
        for background in backgrounds:
            ratio = contrast_ratio(spec["color"], background)
            if ratio < 7.0:
                low[f"{token} on {background}"] = round(ratio, 2)
    assert len(data["tokens"]) == len(TOKEN_KEYS)  # every kind is spelled out
    assert low == {}


def test_colour_blind_theme_never_tells_token_kinds_apart_by_hue_alone():
    """Two kinds drawn in different colours also differ in weight, slant or background, so
    someone who cannot tell the hues apart still sees which is which."""
    tokens = load_theme("colour-blind").tokens

    def look(style):
        return style.bold, style.italic, style.paper

    same_look_other_colour = {
        (a, b): (tokens[a].color, tokens[b].color)
        for a in tokens for b in tokens
        if a < b and tokens[a].color != tokens[b].color and look(tokens[a]) == look(tokens[b])
    }
    assert same_look_other_colour == {}
    # Keywords, names, comments and strings really are told apart (by style, not only hue).
    looks = {look(tokens[k]) for k in ("default", "keyword", "function_name", "comment",
                                        "string", "triple_string", "unclosed_string")}
    assert len(looks) == 7


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_theme_file_gives_a_thick_caret_and_a_current_line_bar(name):
    """A 1-2 pixel caret and a faint line band vanish on a projector: each theme file sets a
    caret of at least 4 pixels (wider as the font grows) and a solid bar beside the caret's
    line that stands out (3:1, WCAG's minimum for graphics) from the margin and the code."""
    editor = _raw(name)["editor"]
    assert editor["caret_width"] >= 4
    bar = editor[CURRENT_LINE_BAR]
    assert contrast_ratio(bar, editor["margin_bg"]) >= 3.0
    assert contrast_ratio(bar, editor["paper"]) >= 3.0
    assert contrast_ratio(editor["caret"], editor["paper"]) >= 3.0
    assert contrast_ratio(editor["caret"], editor["caret_line"]) >= 3.0
    theme = load_theme(name)
    assert theme.caret_width == editor["caret_width"]
    assert theme.editor[CURRENT_LINE_BAR] == bar


def test_a_theme_without_caret_width_or_bar_gets_defaults_and_bad_widths_are_named(tmp_path):
    folder = _copy_themes(tmp_path)
    data = json.loads((folder / "night.json").read_text())
    del data["editor"]["caret_width"], data["editor"][CURRENT_LINE_BAR]
    (folder / "night.json").write_text(json.dumps(data))
    night = load_theme("night", folder)
    assert night.caret_width == CARET_WIDTH_DEFAULT
    assert night.editor[CURRENT_LINE_BAR] == night.editor["caret"]
    for bad in (0, 40, 2.5, "4", True):
        data["editor"]["caret_width"] = bad
        (folder / "night.json").write_text(json.dumps(data))
        with pytest.raises(ThemeError, match=r"night\.json: editor\.caret_width is .* from 1 to 12"):
            load_theme("night", folder)
    data["editor"]["caret_width"] = 4
    data["editor"][CURRENT_LINE_BAR] = "blue"
    (folder / "night.json").write_text(json.dumps(data))
    with pytest.raises(ThemeError, match=r"editor\.current_line_bar is 'blue'"):
        load_theme("night", folder)
