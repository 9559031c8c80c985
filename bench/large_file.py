"""How a 50,000-line file behaves in the real window: open, jump to the end, type.

    python bench/large_file.py [--lines 50000]

Offscreen unless a display is set. Last line: a JSON object with open_ms, jump_ms, edit_ms.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PRESENTER_HOME"] = str(Path(tmp) / "home")
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PyQt5.QtWidgets import QApplication

        app = QApplication([])
        from presenter.settings import Settings
        from presenter.workbench.workbench import Workbench

        path = Path(tmp) / "big.py"
        path.write_text("".join(f"value_{n} = {n}  # a comment about {n}\n"
                                for n in range(args.lines)), encoding="utf-8")
        bench = Workbench(Settings.load())
        bench.start([])
        app.processEvents()

        def timed(action) -> float:
            start = time.perf_counter()
            action()
            app.processEvents()
            return round((time.perf_counter() - start) * 1000, 1)

        holder = {}
        open_ms = timed(lambda: holder.update(editor=bench.files.open_path(str(path))))
        editor = holder["editor"]
        jump_ms = timed(lambda: bench.go_to(str(path), args.lines - 1))
        edit_ms = timed(lambda: editor.insert("x = 1\n"))
        assert editor.lines() == args.lines + 2  # the trailing newline, plus the inserted line
        result = {"lines": args.lines, "open_ms": open_ms, "jump_ms": jump_ms, "edit_ms": edit_ms}
        print(f"{args.lines} lines: open {open_ms} ms, jump to end {jump_ms} ms, one edit {edit_ms} ms")
        print(json.dumps(result))
        bench.autosaver.timer.stop()


if __name__ == "__main__":
    main()
