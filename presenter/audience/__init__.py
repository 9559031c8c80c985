"""The read-only audience page: the room follows the live code in a browser.

No Qt here (tests/test_architecture.py checks): the server runs on a thread of its own
and is fed through ``live.LiveState`` by a small bridge in the workbench.
"""
