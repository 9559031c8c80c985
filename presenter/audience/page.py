"""The audience page (one self-contained HTML file) and the headers every response carries.

The page's style and script are inline, so a phone loads one file and then only the
update stream; the Content-Security-Policy allows exactly those two blocks by their hashes
and nothing else (no other script, no inline handlers, no fonts, images or frames from
anywhere; connections only back to this server).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources

from presenter.audience.highlight import stylesheet


def _static(name: str) -> str:
    return resources.files("presenter.audience").joinpath("static").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def page() -> tuple[bytes, str]:
    """(the page's bytes, its Content-Security-Policy)."""
    style = _static("page.css") + stylesheet(".code")
    script = _static("page.js")
    # Inline, either would end its element early (and its hash would not match).
    if "</script" in script.lower() or "</style" in style.lower():
        raise ValueError("the page's script or style contains a closing tag")
    text = _static("page.html").replace("{{STYLE}}", style).replace("{{SCRIPT}}", script)
    policy = page_policy(script_hashes=[_csp_hash(script)], style_hashes=[_csp_hash(style)],
                         connect=True)
    return text.encode("utf-8"), policy


def page_policy(script_hashes: list[str] = (), style_hashes: list[str] = (),
                connect: bool = False) -> str:
    """A CSP that allows nothing but the given inline blocks (and this server's stream)."""
    parts = ["default-src 'none'"]
    if script_hashes:
        parts.append("script-src " + " ".join(script_hashes))
    if style_hashes:
        parts.append("style-src " + " ".join(style_hashes))
    if connect:
        parts.append("connect-src 'self'")
    parts += ["img-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]
    return "; ".join(parts)


def inline_style_policy(html_text: str) -> str:
    """The CSP for a served handout: its one inline <style> block, nothing else."""
    start = html_text.find("<style>")
    end = html_text.find("</style>", start)
    if start < 0 or end < 0:
        return page_policy()
    hashes = [_csp_hash(html_text[start + len("<style>"):end])]
    return page_policy(style_hashes=hashes)


#: On every response, 404s included.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
