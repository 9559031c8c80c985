"""File > Export Handout: the talk as an HTML file and a Markdown file, side by side.

The speaker picks where (the one dialog: a file name is a real choice); both files are
written whole to a temporary name and renamed (``settings.write_atomically``), so a full
disk or a folder without permission leaves no half handout, and says so in a banner.
Once written, the audience page offers the same two files for download.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from presenter.audience.handout import Handout, render_html, render_markdown
from presenter.audience.live import HandoutFiles
from presenter.qt import dialogs
from presenter.settings import write_atomically

if TYPE_CHECKING:
    from presenter.workbench.audience import Audience

_DATE_SUFFIX = re.compile(r"[-_ ]*\d{4}-\d{2}-\d{2}$")


def export_handout(audience: Audience) -> Path | None:
    """Ask where, write ``NAME.html`` and ``NAME.md``, offer them on the page; the HTML path."""
    bench = audience.bench
    title = audience.talk_title or "Handout"
    suggestion = _default_folder(audience) / f"{Handout(title, date.today()).file_name()}.html"
    answer = dialogs.ask_handout_path(bench.window, str(suggestion))
    if not answer:
        return None
    html_path = Path(answer)
    if html_path.suffix.lower() not in (".html", ".htm"):
        html_path = html_path.with_name(html_path.name + ".html")
    md_path = html_path.with_suffix(".md")
    handout = audience.build_handout(title_from_file_name(html_path))
    html_bytes = render_html(handout).encode("utf-8")
    md_bytes = render_markdown(handout).encode("utf-8")
    try:
        write_atomically(html_path, html_bytes)
        write_atomically(md_path, md_bytes)
    except OSError as exc:
        where = exc.filename or html_path.parent
        bench.show_banner(f"The handout was not written: {exc.strerror or exc} ({where}). "
                          "Export it again into another folder.", "error")
        return None
    audience.live.set_handout(HandoutFiles(handout.file_name(), html_bytes, md_bytes))
    audience.live.publish()
    offered = " The audience page offers it for download." if audience.is_sharing() else ""
    bench.show_message(f"Handout written: {html_path.name} and {md_path.name} in "
                       f"{html_path.parent}.{offered}")
    return html_path


def title_from_file_name(path: Path) -> str:
    """A title from the name the speaker chose: "pycon-turtles-2025-05-01.html" -> "Pycon turtles"."""
    stem = _DATE_SUFFIX.sub("", path.stem)
    words = " ".join(stem.replace("_", " ").replace("-", " ").split()) or "Handout"
    return words[0].upper() + words[1:]


def _default_folder(audience: Audience) -> Path:
    """Beside the current tab's file, else the home folder."""
    editor = audience.bench.window.tabs.current()
    if editor is not None and editor.info.path:
        return Path(editor.info.path).parent
    return Path.home()
