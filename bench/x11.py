"""Just enough of Xlib and XTest, through ctypes, to type at a window and watch the screen.

A black-box typing benchmark must send real key events through the X server and see the
echo where the audience sees it, in the screen's pixels, for any program (Presenter, or
Thonny for comparison). python-xlib would do, but it is one more dependency for one
benchmark; libX11 and libXtst are on every machine that runs an X server or xdotool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from dataclasses import dataclass

_Display = ctypes.c_void_p
_Window = ctypes.c_ulong
_ALL_PLANES = ctypes.c_ulong(0xFFFFFFFFFFFFFFFF)
_Z_PIXMAP = 2
_IS_VIEWABLE = 2
_ANY_PROPERTY_TYPE = 0
_CURRENT_TIME = 0
_REVERT_TO_PARENT = 2
_CLIENT_MESSAGE = 33
_SUBSTRUCTURE_MASKS = (1 << 19) | (1 << 20)  # SubstructureNotify | SubstructureRedirect


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_char)),
        ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
        ("height", ctypes.c_int), ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p), ("root", _Window), ("class_", ctypes.c_int),
        ("bit_gravity", ctypes.c_int), ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


class _XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", _Display), ("window", _Window), ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("client", _XClientMessageEvent), ("pad", ctypes.c_long * 24)]


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


class Screen:
    """One connection to an X server: find windows, focus them, type, and read pixels."""

    def __init__(self, display: str) -> None:
        self._x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self._xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        x = self._x
        x.XOpenDisplay.restype = _Display
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = _Window
        x.XDefaultRootWindow.argtypes = [_Display]
        x.XQueryTree.argtypes = [_Display, _Window, ctypes.POINTER(_Window), ctypes.POINTER(_Window),
                                 ctypes.POINTER(ctypes.POINTER(_Window)),
                                 ctypes.POINTER(ctypes.c_uint)]
        x.XGetWindowProperty.argtypes = [
            _Display, _Window, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
            ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XGetWindowAttributes.argtypes = [_Display, _Window, ctypes.POINTER(_XWindowAttributes)]
        x.XTranslateCoordinates.argtypes = [_Display, _Window, _Window, ctypes.c_int, ctypes.c_int,
                                            ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(_Window)]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [_Display, _Window, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XStringToKeysym.restype = ctypes.c_ulong
        x.XStringToKeysym.argtypes = [ctypes.c_char_p]
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XKeysymToKeycode.argtypes = [_Display, ctypes.c_ulong]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [_Display, ctypes.c_char_p, ctypes.c_int]
        x.XSendEvent.argtypes = [_Display, _Window, ctypes.c_int, ctypes.c_long,
                                 ctypes.POINTER(_XEvent)]
        x.XSetInputFocus.argtypes = [_Display, _Window, ctypes.c_int, ctypes.c_ulong]
        x.XRaiseWindow.argtypes = [_Display, _Window]
        x.XFlush.argtypes = [_Display]
        x.XSync.argtypes = [_Display, ctypes.c_int]
        x.XCloseDisplay.argtypes = [_Display]
        self._xtst.XTestFakeKeyEvent.argtypes = [_Display, ctypes.c_uint, ctypes.c_int,
                                                 ctypes.c_ulong]
        self._dpy = x.XOpenDisplay(display.encode())
        if not self._dpy:
            raise OSError(f"cannot open X display {display}")
        self._root = x.XDefaultRootWindow(self._dpy)

    def close(self) -> None:
        self._x.XCloseDisplay(self._dpy)

    # ---- Windows
    def _children(self, window: int) -> list[int]:
        root, parent = _Window(), _Window()
        children = ctypes.POINTER(_Window)()
        count = ctypes.c_uint()
        if not self._x.XQueryTree(self._dpy, window, ctypes.byref(root), ctypes.byref(parent),
                                  ctypes.byref(children), ctypes.byref(count)):
            return []
        found = [children[i] for i in range(count.value)]
        if children:
            self._x.XFree(children)
        return found

    def _name(self, window: int) -> str:
        """The title: _NET_WM_NAME (UTF-8, what Qt and Tk set), else WM_NAME."""
        for atom in (b"_NET_WM_NAME", b"WM_NAME"):
            kind, fmt = ctypes.c_ulong(), ctypes.c_int()
            count, after = ctypes.c_ulong(), ctypes.c_ulong()
            data = ctypes.POINTER(ctypes.c_ubyte)()
            status = self._x.XGetWindowProperty(
                self._dpy, window, self._x.XInternAtom(self._dpy, atom, False), 0, 1024, False,
                _ANY_PROPERTY_TYPE, ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count),
                ctypes.byref(after), ctypes.byref(data))
            if status == 0 and data:
                text = ctypes.string_at(data, count.value).decode("utf-8", "replace")
                self._x.XFree(ctypes.cast(data, ctypes.c_void_p))
                if text:
                    return text
        return ""

    def find_window(self, name_part: str, timeout: float = 60.0) -> int:
        """A mapped window whose title contains ``name_part`` (waits for it to appear)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = [self._root]
            while pending:
                window = pending.pop()
                if name_part in self._name(window) and self.is_viewable(window):
                    return window
                pending.extend(self._children(window))
            time.sleep(0.2)
        raise TimeoutError(f"no window titled '*{name_part}*' within {timeout:.0f} s")

    def is_viewable(self, window: int) -> bool:
        attributes = _XWindowAttributes()
        self._x.XGetWindowAttributes(self._dpy, window, ctypes.byref(attributes))
        return attributes.map_state == _IS_VIEWABLE

    def geometry(self, window: int) -> Rect:
        """Where the window's contents are on the screen."""
        attributes = _XWindowAttributes()
        self._x.XGetWindowAttributes(self._dpy, window, ctypes.byref(attributes))
        x, y, child = ctypes.c_int(), ctypes.c_int(), _Window()
        self._x.XTranslateCoordinates(self._dpy, window, self._root, 0, 0, ctypes.byref(x),
                                      ctypes.byref(y), ctypes.byref(child))
        return Rect(x.value, y.value, attributes.width, attributes.height)

    def activate(self, window: int) -> None:
        """Raise and focus a window the way a pager does (_NET_ACTIVE_WINDOW), and directly."""
        event = _XEvent()
        event.client.type = _CLIENT_MESSAGE
        event.client.window = window
        event.client.message_type = self._x.XInternAtom(self._dpy, b"_NET_ACTIVE_WINDOW", False)
        event.client.format = 32
        event.client.data[0] = 2  # "from a pager": the window manager obeys at once
        self._x.XSendEvent(self._dpy, self._root, False, _SUBSTRUCTURE_MASKS, ctypes.byref(event))
        self._x.XRaiseWindow(self._dpy, window)
        self._x.XSetInputFocus(self._dpy, window, _REVERT_TO_PARENT, _CURRENT_TIME)
        self._x.XSync(self._dpy, False)

    # ---- Keys and pixels
    def key(self, keys: str) -> None:
        """Press and release a key, with modifiers held: "a", "End", "ctrl+End"."""
        *modifiers, last = keys.split("+")
        names = [{"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L"}.get(m, m)
                 for m in modifiers]
        codes = [self._keycode(name) for name in [*names, last]]
        for code in codes:
            self._xtst.XTestFakeKeyEvent(self._dpy, code, True, _CURRENT_TIME)
        for code in reversed(codes):
            self._xtst.XTestFakeKeyEvent(self._dpy, code, False, _CURRENT_TIME)
        self._x.XFlush(self._dpy)

    def _keycode(self, keysym: str) -> int:
        code = self._x.XKeysymToKeycode(self._dpy, self._x.XStringToKeysym(keysym.encode()))
        if not code:
            raise ValueError(f"no key for keysym {keysym!r}")
        return code

    def grab(self, rect: Rect) -> tuple[bytes, int]:
        """The screen's pixels in ``rect`` as it is now: (bytes, bytes per row)."""
        image = self._x.XGetImage(self._dpy, self._root, rect.x, rect.y, rect.width, rect.height,
                                  _ALL_PLANES, _Z_PIXMAP)
        if not image:
            raise OSError(f"XGetImage failed for {rect}")
        data = ctypes.cast(image.contents.data, ctypes.c_void_p)
        try:
            stride = image.contents.bytes_per_line
            return ctypes.string_at(data, stride * rect.height), stride
        finally:
            self._x.XFree(data)
            self._x.XFree(ctypes.cast(image, ctypes.c_void_p))


def changed_box(before: bytes, after: bytes, stride: int, bytes_per_pixel: int = 4) -> Rect | None:
    """The smallest rectangle holding every pixel that differs between two grabs, or None.

    Row by row at C speed: equal rows are skipped by one comparison, and a differing row's
    first and last differing bytes come from the set bits of the two rows XORed as integers.
    """
    left = right = top = bottom = None
    for row, start in enumerate(range(0, len(before), stride)):
        a, b = before[start:start + stride], after[start:start + stride]
        if a == b:
            continue
        diff = int.from_bytes(a, "big") ^ int.from_bytes(b, "big")
        first = stride - (diff.bit_length() + 7) // 8  # highest set bit: leftmost byte
        last = stride - 1 - ((diff & -diff).bit_length() - 1) // 8  # lowest: rightmost byte
        left = first if left is None else min(left, first)
        right = last if right is None else max(right, last)
        top = row if top is None else top
        bottom = row
    if left is None:
        return None
    return Rect(left // bytes_per_pixel, top, right // bytes_per_pixel - left // bytes_per_pixel + 1,
                bottom - top + 1)
