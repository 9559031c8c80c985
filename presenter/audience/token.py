"""The audience page's token: the secret part of its address.

26 characters from 31 that no one confuses (no i, l, o, 0, 1) are 128.8 bits, as
unguessable as ``secrets.token_urlsafe(16)`` and easier to type off a projector. A module
of its own so the window can make the token at start-up without loading the server.
"""

from __future__ import annotations

import secrets

TOKEN_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TOKEN_LENGTH = 26


def new_token() -> str:
    """A fresh unguessable token (at least 128 bits from the system's secure random source)."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
