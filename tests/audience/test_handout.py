"""The handout's HTML and Markdown: complete, self-contained, and everything in it escaped."""

from __future__ import annotations

import re
from datetime import date

from presenter.audience.handout import Handout, RunRecord, StepRecord, render_html, render_markdown
from presenter.audience.highlight import code_runs

EVIL_CODE = "s = '</script><script>alert(1)</script>'\nprint(\"<b>&amp;</b>\")\n```\n"
TALK = Handout(
    title="Turtles <em>fast</em> & *loud*",
    day=date(2025, 5, 1),
    files=(("turtles.py", EVIL_CODE), ("notes.txt", "plain <text>\n")),
    steps=(StepRecord(1, 2, "Import <it>", "turtles.py", "import turtle\n"),
           StepRecord(2, 2, "Draw", "turtles.py", EVIL_CODE)),
    runs=(RunRecord("turtles.py", "print(1)\n", "1\n<img src=x onerror=alert(3)>", "step 1/2"),
          RunRecord("turtles.py", EVIL_CODE, "Traceback (most recent call last):\n  boom")),
)


def test_highlighting_keeps_every_character():
    assert "".join(text for _css, text in code_runs(EVIL_CODE, "x.py")) == EVIL_CODE
    assert any(css == "k" for css, _text in code_runs("def f(): pass\n", "x.py"))


def test_the_html_handout_holds_everything_and_shows_markup_as_text():
    page = render_html(TALK)
    assert "<script" not in page.lower()  # no script at all: not the code's, not its own
    assert "<img" not in page and "<em>" not in page and "<it>" not in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>Turtles &lt;em&gt;fast&lt;/em&gt; &amp; *loud*</title>" in page
    assert "01 May 2025" in page
    assert page.count('<pre class="code">') == 5  # two steps, two final files, one changed run
    assert "Step 1/2: Import &lt;it&gt;" in page and "Run 1: turtles.py (step 1/2)" in page
    assert "Traceback (most recent call last):\n  boom" in page
    assert not re.search(r"<[^>]*\s(src|href)\s*=", page)  # self-contained: nothing to fetch
    assert '<span class="kn">import</span>' in page  # highlighted


def test_the_markdown_handout_fences_code_safely_and_escapes_headings():
    text = render_markdown(TALK)
    assert text.startswith("# Turtles \\<em\\>fast\\</em\\> \\& \\*loud\\*\n")
    # The code holds a ``` line, so its fence is longer and the block is not cut short.
    assert "````python\n" + EVIL_CODE + "````\n" in text
    assert "## Steps" in text and "### Step 2/2: Draw" in text
    assert "### Run 2: turtles.py" in text
    assert "```text\n1\n<img src=x onerror=alert(3)>\n```" in text  # inside a fence: text
    assert "```\nplain <text>\n```" in text  # not Python: no language on the fence


def test_the_file_name_comes_from_the_title_and_date():
    assert TALK.file_name() == "turtles-em-fast-em-loud-2025-05-01"
    assert Handout("", date(2025, 1, 2)).file_name() == "handout-2025-01-02"
