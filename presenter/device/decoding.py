"""Bytes from the board -> text for people, without ever raising.

An incremental UTF-8 decoder keeps a split multi-byte sequence until its last byte arrives and
turns invalid bytes into U+FFFD; ``\\r\\n`` (what MicroPython prints) becomes ``\\n`` even when
the pair is split across two reads.  Protocol parsing never uses this: it works on raw bytes.
"""

from __future__ import annotations

import codecs


class TextStream:
    """Feed raw output chunks, get display text."""

    def __init__(self, newlines: bool = True) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._newlines = newlines
        self._pending_cr = False

    def feed(self, data: bytes, final: bool = False) -> str:
        text = self._decoder.decode(data, final)
        if not self._newlines:
            return text
        if self._pending_cr:
            text = "\r" + text
            self._pending_cr = False
        if text.endswith("\r") and not final:
            text = text[:-1]
            self._pending_cr = True
        return text.replace("\r\n", "\n")

    def flush(self) -> str:
        return self.feed(b"", final=True)


def decode(data: bytes) -> str:
    """One-shot decode of complete output (management replies, tracebacks)."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")
