"""Is a screen reader listening? And QScintilla's per-keystroke cost when none is.

QScintilla tells Qt's accessibility layer about every edit and every caret move, and each
time converts the byte position into a character offset by counting every character
from the start of the document (SCI_COUNTCHARACTERS): the cost of a keystroke grows with
how far down the file it is typed. Qt runs this whether or not any assistive technology
is there, because showing a widget makes Qt create its accessible object. Measured on a
20,000-line file (bench/large_file.py): 6.3 ms a key at the bottom of a bare
QsciScintilla, 0.25 ms with both sources turned off, against 0.2 ms at the top.

So while no assistive technology is active, an editor (1) asks Scintilla for no
per-modification notifications (SCI_SETMODEVENTMASK 0) and (2) drops the accessible object
Qt made for it. When one is active, nothing is changed: a screen reader user keeps
QScintilla's full support, cost and all. PyQt5 does not wrap QAccessible, so its public
functions are called through ctypes in the QtGui library the process has already loaded;
if that library cannot be found, Presenter assumes a screen reader is there and keeps the
default behaviour.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from functools import lru_cache

from PyQt5 import sip
from PyQt5.QtCore import QObject

log = logging.getLogger(__name__)

# Mangled names of QAccessible's public static functions (Qt 5, Itanium C++ ABI).
_IS_ACTIVE = "_ZN11QAccessible8isActiveEv"
_QUERY = "_ZN11QAccessible24queryAccessibleInterfaceEP7QObject"
_UNIQUE_ID = "_ZN11QAccessible8uniqueIdEP20QAccessibleInterface"
_DELETE = "_ZN11QAccessible25deleteAccessibleInterfaceEj"


@lru_cache(maxsize=1)
def _qtgui() -> ctypes.CDLL | None:
    """The QtGui library already in this process (dlopen of its soname finds it)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # other platforms name their libraries (and mangle symbols) differently
    try:
        library = ctypes.CDLL("libQt5Gui.so.5")
        # getattr, not [], so that the declared types stay with the cached function.
        getattr(library, _IS_ACTIVE).restype = ctypes.c_bool
        getattr(library, _QUERY).restype = ctypes.c_void_p
        getattr(library, _QUERY).argtypes = [ctypes.c_void_p]
        getattr(library, _UNIQUE_ID).restype = ctypes.c_uint
        getattr(library, _UNIQUE_ID).argtypes = [ctypes.c_void_p]
        getattr(library, _DELETE).argtypes = [ctypes.c_uint]
        return library
    except (OSError, AttributeError) as exc:
        log.info("QAccessible not reachable (%s): editors keep full accessibility events", exc)
        return None


def assistive_technology_active() -> bool:
    """True if a screen reader (or other assistive technology) may be listening."""
    library = _qtgui()
    return True if library is None else bool(getattr(library, _IS_ACTIVE)())


def drop_accessible_object(widget: QObject) -> None:
    """Delete the accessible object Qt made for ``widget``, if no one is listening.

    Qt makes a new one the moment anything asks for it, so a screen reader started later
    still gets a complete one.
    """
    if assistive_technology_active():
        return
    library = _qtgui()
    interface = getattr(library, _QUERY)(sip.unwrapinstance(widget))
    if interface:
        getattr(library, _DELETE)(getattr(library, _UNIQUE_ID)(interface))
