"""The audience page's address as a QR code, for phones in the room to scan.

Only the matrix comes from here (segno, pure Python); the window paints it, big, with the
quiet zone a scanner needs. Error correction M survives a projector's glare and blur.
"""

from __future__ import annotations

import segno

QUIET_ZONE = 4  # modules of light border, as the QR standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """Rows of modules (True = dark), without the quiet zone."""
    code = segno.make(text, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]
