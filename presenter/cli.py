"""The ``presenter`` command: the window, or one of the board subcommands.

Subcommands live in one table (``COMMANDS``) so help, dispatch and the test that checks
every command is covered all walk the same list. Qt is imported only on the path that
opens the window, so ``presenter devices`` starts instantly and works over SSH.

Board commands share one error policy: a problem is one line on stderr,
``presenter: <message>``, and a nonzero exit code - never a traceback, because the reader
is a teacher with 30 boards and five minutes, not a developer.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from presenter import __version__

if TYPE_CHECKING:  # pragma: no cover - typing only
    from presenter.device import Board

#: Exit codes: 0 fine, 1 failure (or the board program raised), 130 interrupted (as shells do).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
#: A command line that cannot mean anything (argparse uses 2 for usage errors too).
EXIT_USAGE = 2
#: Set to show the traceback of an internal error instead of the one-line message.
DEBUG_ENV_VAR = "PRESENTER_DEBUG"
#: Ctrl-] ends ``presenter repl``, as in telnet and mpremote (Ctrl-C must reach the board).
REPL_QUIT = b"\x1d"


class CliError(Exception):
    """A problem worth one line on stderr (bad arguments the parser cannot see)."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


#: The window comes first in every usage line: most people never type a board command.
WINDOW_USAGE = "presenter [FILE...]"
COMMAND_USAGE = "presenter COMMAND [--port PORT] [ARGS...]   (COMMAND --help for each)"


def _gui_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="files to open in the window (a name that does not exist yet "
                             "opens an empty tab, and Save creates the file)")


def _run_gui(args: argparse.Namespace) -> int:
    from presenter.app import run_app  # lazy: Qt only when the window opens

    return run_app(args.files)


# ---- Shared helpers


def _add_port(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", "-p", metavar="PORT",
        help="serial port of the board (default: $PRESENTER_PORT, else the one board found)",
    )


def _resolve_port(args: argparse.Namespace) -> str:
    from presenter.device import resolve_port

    return resolve_port(getattr(args, "port", None))


def _open(args: argparse.Namespace) -> Board:
    """Open the board the user meant; the chosen port is kept in ``args.resolved_port``."""
    from presenter.device import Board

    args.resolved_port = _resolve_port(args)
    return Board.open(args.resolved_port)


def _write(stream: Any, data: str | bytes) -> None:
    """Write board output as it arrives: bytes untouched, text as UTF-8; flush at once."""
    raw: BinaryIO = getattr(stream, "buffer", stream)
    raw.write(data.encode("utf-8", "replace") if isinstance(data, str) else data)
    raw.flush()


def _read_source(path: str) -> str:
    """A local script as text: UTF-8 (a BOM is dropped); other encodings are refused clearly."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"save it as UTF-8 and try again."
        ) from None


class _ProgressBar:
    """``name  1200/4096 bytes  29%`` redrawn on stderr; silent when stderr is not a terminal."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        percent = 100 * done // total if total else 100
        self.stream.write(f"\r{self.label}  {done}/{total} bytes  {percent:3d}%")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


# ---- devices


def _devices_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def _cmd_devices(args: argparse.Namespace) -> int:
    from presenter.device import list_boards
    from presenter.device.flash import drive_serial_number, find_drives

    boards = list_boards()
    drives = find_drives()
    for board in boards:
        print(f"{board.port}\t{board.name}\t{board.serial_number or '-'}")
    for drive in drives:
        print(f"{drive}\tmicro:bit drive (flash with --drive)\t{drive_serial_number(drive) or '-'}")
    if not boards and not drives:
        print(
            "presenter: no boards found. Plug in a micro:bit or Pico with a data USB cable, "
            "or give the port by hand: --port /dev/ttyACM0 (Windows: --port COM3) "
            "or set PRESENTER_PORT.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


# ---- run


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    _add_port(parser)
    parser.add_argument("file", help="local .py file to run (it is not saved on the board)")


def _forward_stdin(board: Board, finished: threading.Event) -> None:
    """Feed lines typed (or piped) to the program's input(); at EOF, end its input.

    A line is held back until the program is actually running: sent during the submission,
    the board would read it as part of the source code.  End of input (Ctrl-D, or the end of
    a pipe or of /dev/null) reaches the program as EOFError from input(), as in CPython.
    """
    try:
        for line in sys.stdin:
            if not _wait_until_running(board, finished):
                return
            board.send_input(line)
        if _wait_until_running(board, finished):
            board.close_input()
    except Exception:  # the run is over or the board went away: the main thread reports it
        return


def _wait_until_running(board: Board, finished: threading.Event) -> bool:
    while not board.running and not finished.is_set():
        time.sleep(0.02)
    return not finished.is_set()


def _port_option(args: argparse.Namespace) -> str:
    """`` --port P`` as the user would retype it, or "" when the port was found by itself."""
    import shlex

    port = getattr(args, "port", None)
    return f" --port {shlex.quote(port)}" if port else ""


def _cmd_run(args: argparse.Namespace) -> int:
    source = _read_source(args.file)
    from presenter.device import DeviceError

    # A terminal gets text; a pipe or a file gets the board's bytes exactly as it sent them.
    stdout_bytes = not _isatty(sys.stdout)
    with _open(args) as board:
        outcome: dict[str, Any] = {}
        streamed_stderr: list[bool] = []

        def on_stderr(data: str | bytes) -> None:
            streamed_stderr.append(True)
            _write(sys.stderr, data)

        finished = threading.Event()

        def work() -> None:
            try:
                outcome["result"] = board.run(source, lambda d: _write(sys.stdout, d), on_stderr,
                                              filename=args.file, stdout_bytes=stdout_bytes)
            except BaseException as exc:  # handed to the main thread, which reports it
                outcome["error"] = exc
            finally:
                finished.set()

        # The board is driven from a worker so this thread stays free for Ctrl-C. (Waiting on
        # an Event, not Thread.join: a KeyboardInterrupt inside join() can leave the thread
        # marked as stopped while it still runs, bpo-21822.)
        threading.Thread(target=work, name="presenter-run", daemon=True).start()
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=_forward_stdin, args=(board, finished), daemon=True).start()
        interrupts = 0
        while not finished.is_set():
            try:
                finished.wait(0.1)
            except KeyboardInterrupt:
                # Ctrl-C stops the program on the board, not only this command
                # (mpremote only stops itself: micropython#11592).
                interrupts += 1
                if interrupts >= 3:
                    raise CliError(
                        "the board ignores Ctrl-C; reset it with "
                        f"`presenter reset --hard{_port_option(args)}`."
                    ) from None
                try:
                    board.interrupt()
                except DeviceError:
                    pass
        if "error" in outcome:
            raise outcome["error"]
        result = outcome["result"]
    if result.ending == "exception":
        if not streamed_stderr and result.error_text:
            _write(sys.stderr, result.error_text)
        return EXIT_FAILED
    if result.ending == "interrupted":
        if not streamed_stderr:
            print("KeyboardInterrupt", file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.ending == "reset":
        print("presenter: the board reset while the program ran.", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# ---- repl


def _repl_arguments(parser: argparse.ArgumentParser) -> None:
    _add_port(parser)


def _repl_tty(board: Board, fd: int) -> None:
    """Every key (Ctrl-C too) goes to the board; Ctrl-] quits. The tty is raw already.

    Keys arrive a few at a time; a paste arrives as one burst of several lines, and is sent
    through the board's paste mode (echo-paced, its indentation kept) instead of typed.
    """
    import select

    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            board.terminal_write(b"")  # raises Disconnected if the board was unplugged
            continue
        data = os.read(fd, 4096)
        if not data:
            return
        # A paste comes in several reads in quick succession: take it whole.
        while len(data) >= 64 and select.select([fd], [], [], 0.05)[0]:
            more = os.read(fd, 4096)
            if not more:
                break
            data += more
        quit_now = REPL_QUIT in data
        data = data.split(REPL_QUIT, 1)[0]
        if _is_paste(data):
            _enter_pasted(board, data.decode("utf-8", "replace"))
        elif data:
            board.terminal_write(data)
        if quit_now:
            return


def _enter_pasted(board: Board, text: str) -> None:
    """A paste goes in as the piped input does: statement by statement, blocks pasted.

    One statement at a time also keeps the V1 within its memory: its paste mode compiles
    all it was given at once, and 3 kB of code is more than it can compile.
    """
    from presenter.device.statements import StatementGrouper

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body, _, unfinished = text.rpartition("\n")  # a last line without Enter is typed as is
    grouper = StatementGrouper()
    statements = [st for line in body.splitlines() for st in grouper.feed(line)]
    for statement in statements + grouper.close():
        board.terminal_enter(statement)
    if unfinished:
        board.terminal_write(unfinished.encode("utf-8"))


def _is_paste(data: bytes) -> bool:
    """Several lines in one read: pasted, not typed (a terminal sends Enter as CR)."""
    lines = data.replace(b"\r\n", b"\r").replace(b"\n", b"\r").rstrip(b"\r")
    return b"\r" in lines


class _RawTerminal:
    """Raw mode on the local terminal for the whole session, restored on every exit path.

    Raw from before the first byte is read, so early keys are neither echoed by the tty nor
    turned from Enter (CR) into LF, which the board's prompt would not take as Enter.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.saved: list | None = None

    def __enter__(self) -> _RawTerminal:
        import termios
        import tty

        self.saved = termios.tcgetattr(self.fd)
        tty.setraw(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        import termios

        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)


def _repl_piped(board: Board, last_output: list[float], quiet: float = 1.0,
                limit: float = 30.0) -> None:
    """Piped input: one statement at a time, each once the board is ready for it.

    A one-line statement is typed (the prompt still shows an expression's value), a longer
    one goes through paste mode with its echo awaited, so indentation and every byte arrive;
    then the command waits until the board has been quiet a while.
    """
    from presenter.device.statements import StatementGrouper

    grouper = StatementGrouper()
    stream = sys.stdin.buffer
    while True:
        data = stream.readline()
        if not data:
            break
        quit_now = REPL_QUIT in data
        data = data.split(REPL_QUIT, 1)[0]
        for statement in grouper.feed(data.decode("utf-8", "replace")):
            board.terminal_enter(statement, quiet)
        if quit_now:
            break
    for statement in grouper.close():
        board.terminal_enter(statement, quiet)
    last_output[0] = max(last_output[0], time.monotonic())
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and time.monotonic() - last_output[0] < quiet:
        board.terminal_write(b"")  # raises Disconnected if the board was unplugged
        time.sleep(0.05)


def _cmd_repl(args: argparse.Namespace) -> int:
    interactive = sys.stdin is not None and sys.stdin.isatty() and os.name == "posix"
    if not interactive:
        with _open(args) as board:
            last_output = [time.monotonic()]

            def on_output(data: str | bytes) -> None:
                last_output[0] = time.monotonic()
                _write(sys.stdout, data)

            board.start_terminal(on_output)
            try:
                _repl_piped(board, last_output)
            finally:
                board.stop_terminal()
        return EXIT_OK
    fd = sys.stdin.fileno()
    with _RawTerminal(fd), _open(args) as board:
        # Raw mode: the terminal no longer turns "\n" into "\r\n" for us.
        _write(sys.stderr, f"Connected to {board.identity.board_name or 'the board'} "
                           f"on {args.resolved_port}. Ctrl-] quits.\r\n")
        board.start_terminal(lambda data: _write(sys.stdout, data))
        try:
            _repl_tty(board, fd)
        finally:
            board.stop_terminal()
        _write(sys.stderr, "\r\n")
    return EXIT_OK


# ---- fs


def _fs_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="fs_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_port(p)
        return p

    action("ls", "list files on the board (a folder's, or one file)").add_argument(
        "path", nargs="?", default="/")
    action("cat", "print a file from the board").add_argument("path")
    p = action("get", "copy a file from the board to this computer")
    p.add_argument("remote")
    p.add_argument("local", nargs="?", help="local file or folder (default: same name here)")
    p = action("put", "copy a file from this computer to the board")
    p.add_argument("local")
    p.add_argument("remote", nargs="?", help="name on the board (default: same name)")
    p.add_argument("--force", action="store_true", help="write even if the board has the same file")
    action("rm", "delete a file on the board").add_argument("path")
    action("mkdir", "make a folder on the board").add_argument("path")
    action("rmdir", "remove an empty folder on the board").add_argument("path")


def _local_target(remote: str, local: str | None) -> Path:
    """Where ``fs get`` saves: checked before connecting, so a typo costs no board time.

    A trailing slash means "into this folder": it must exist, or the copy would become a
    file named after the folder.
    """
    name = remote.rstrip("/").rsplit("/", 1)[-1]
    if not local:
        return Path(name)
    seps = tuple(sep for sep in (os.sep, os.altsep, "/") if sep)
    target = Path(local)
    if target.is_dir():
        return target / name
    if local.endswith(seps):
        raise CliError(f"there is no folder {local} on this computer: make it first, or give "
                       f"a file name without the trailing {local[-1]}.")
    if not target.parent.is_dir():
        raise CliError(f"there is no folder {target.parent} on this computer for {local}: "
                       "make it first.")
    return target


def _cmd_fs(args: argparse.Namespace) -> int:
    from presenter.device import TransferInterrupted

    command = args.fs_command
    if command == "put":
        data = Path(args.local).read_bytes()  # before connecting: a typo costs no board time
        remote = args.remote or Path(args.local).name
    elif command == "get":
        local = _local_target(args.remote, args.local)
    with _open(args) as board:
        files = board.files
        if command == "ls":
            for entry in files.ls(args.path):
                size = "-" if entry.is_dir else str(entry.size)
                print(f"{size:>8}  {entry.name}{'/' if entry.is_dir else ''}")
        elif command == "cat":
            _write(sys.stdout, files.read(args.path))
        elif command == "get":
            bar = _ProgressBar(f"get {args.remote}")
            try:
                content = files.read(args.remote, progress=bar)
            finally:
                bar.finish()
            local.write_bytes(content)
        elif command == "put":
            bar = _ProgressBar(f"put {remote}")

            def notice(text: str) -> None:
                bar.finish()
                print(f"presenter: note: {text}", file=sys.stderr)

            try:
                written = files.write(remote, data, progress=bar, skip_unchanged=not args.force,
                                      on_notice=notice)
            except TransferInterrupted as exc:
                bar.finish()
                return _fail(str(exc), EXIT_INTERRUPTED)
            finally:
                bar.finish()
            if not written:
                print(f"{remote}: unchanged on the board, not copied (--force copies anyway)",
                      file=sys.stderr)
        elif command == "rm":
            files.remove(args.path)
        elif command == "mkdir":
            files.mkdir(args.path)
        elif command == "rmdir":
            files.rmdir(args.path)
    return EXIT_OK


# ---- reset


def _reset_arguments(parser: argparse.ArgumentParser) -> None:
    _add_port(parser)
    parser.add_argument("--hard", action="store_true",
                        help="reset the chip (micro:bit: like the reset button) instead of a soft "
                             "reset; works even when the board ignores Ctrl-C or shows no prompt")
    parser.add_argument("--watch", action="store_true",
                        help="then keep showing what the board prints (main.py at boot) without "
                             "interrupting it; Ctrl-C or Ctrl-] stops watching")


def _cmd_reset(args: argparse.Namespace) -> int:
    from presenter.device import Board

    args.resolved_port = _resolve_port(args)
    # --hard must work on a board that never shows a prompt: open without interrupting it.
    with Board.open(args.resolved_port, interrupt=not args.hard) as board:
        if args.hard:
            how = board.hard_reset()
            message = f"hard reset done ({how})"
        else:
            board.soft_reset()
            message = "soft reset done: main.py runs now, if there is one"
        if not args.watch:
            print(message)
            return EXIT_OK
        print(f"{message}; watching the board's output (Ctrl-C stops).", file=sys.stderr,
              flush=True)
        _watch(board)
    return EXIT_OK


def _watch(board: Board) -> None:
    """Show the board's output as it comes, sending nothing, until Ctrl-C, Ctrl-] or unplug."""
    from presenter.device import Disconnected

    interactive = _isatty(sys.stdin) and os.name == "posix"
    board.start_terminal(lambda data: _write(sys.stdout, data))
    try:
        if interactive:
            import select

            with _RawTerminal(sys.stdin.fileno()):
                while True:
                    ready, _, _ = select.select([sys.stdin.fileno()], [], [], 0.2)
                    keys = os.read(sys.stdin.fileno(), 64) if ready else b""
                    if b"\x03" in keys or REPL_QUIT in keys:  # raw mode: Ctrl-C arrives as a key
                        return
                    _check_connected(board)
        while True:
            time.sleep(0.2)
            _check_connected(board)
    except KeyboardInterrupt:
        return
    except Disconnected:
        raise
    finally:
        board.stop_terminal()


def _check_connected(board: Board) -> None:
    board.terminal_write(b"")  # raises Disconnected once the board is unplugged


# ---- flash


def _flash_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", "-p", metavar="PORT", action="append",
        help="serial port of a board running MicroPython (with --all: may be repeated; "
             "default for --all: $PRESENTER_PORTS, else every micro:bit found)",
    )
    parser.add_argument(
        "--drive", "-d", metavar="DRIVE", action="append", type=Path,
        help="the MICROBIT drive to copy a .hex to (with --all: may be repeated; "
             "default for --all: every MICROBIT drive mounted)",
    )
    parser.add_argument("--all", action="store_true",
                        help="flash every connected micro:bit at once, one result line each")
    parser.add_argument("file", help="the .py script to run at power-on (main.py)")


def _all_targets(args: argparse.Namespace) -> list:
    from presenter.device import list_boards
    from presenter.device.flash import find_drives, merge_targets
    from presenter.device.ports import PORTS_ENV_VAR

    if args.port:
        ports = [(p, None) for p in args.port]
    elif os.environ.get(PORTS_ENV_VAR):
        ports = [(p, None) for p in os.environ[PORTS_ENV_VAR].split(os.pathsep) if p]
    else:
        ports = [(b.port, b.serial_number) for b in list_boards() if b.kind == "microbit"]
    drives = args.drive if args.drive else find_drives()
    return merge_targets(ports, drives)


def _single_target(args: argparse.Namespace):  # -> FlashTarget
    from presenter.device import PortNotFound, list_boards, resolve_port
    from presenter.device.flash import FlashTarget, drive_serial_number, find_drives

    if len(args.port or []) > 1 or len(args.drive or []) > 1:
        raise CliError("several --port/--drive values need --all.")
    if args.drive:
        return FlashTarget(port=args.port[0] if args.port else None, drive=args.drive[0])
    try:
        port = resolve_port(args.port[0] if args.port else None)
    except PortNotFound as exc:
        drives = find_drives()
        if len(drives) == 1:
            return FlashTarget(drive=drives[0], serial_number=drive_serial_number(drives[0]))
        if drives:
            raise CliError(
                f"several MICROBIT drives are mounted ({', '.join(map(str, drives))}): "
                f"choose one with --drive, or use --all."
            ) from None
        raise CliError(f"{exc} No MICROBIT drive is mounted either.") from None
    serial = next((b.serial_number for b in list_boards() if b.port == port), None)
    drive = None
    if serial:  # the same board's drive, as a fallback if MicroPython does not answer
        drive = next((d for d in find_drives() if drive_serial_number(d) == serial.upper()), None)
    return FlashTarget(port=port, drive=drive, serial_number=serial)


def _cmd_flash(args: argparse.Namespace) -> int:
    from presenter.device.flash import flash_many, flash_target, prepare_script
    from presenter.device.ports import PORTS_ENV_VAR

    script = prepare_script(Path(args.file).read_bytes())  # refuse before touching any board
    if args.all:
        targets = _all_targets(args)
        if not targets:
            raise CliError(
                "no micro:bit found to flash: plug them in, or list ports in "
                f"${PORTS_ENV_VAR} / with --port, and drives with --drive."
            )

        def report(result) -> None:  # noqa: ANN001 - FlashResult
            status = result.message if result.ok else f"failed: {result.message}"
            print(f"{result.target.serial_number or '-'}\t{result.target.label}\t{status}", flush=True)

        results = flash_many(targets, script, on_result=report)
        failed = sum(not r.ok for r in results)
        if failed:
            print(f"presenter: {failed} of {len(results)} boards failed.", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    target = _single_target(args)
    bar = _ProgressBar(f"flash {Path(args.file).name}")
    try:
        result = flash_target(target, script, progress=bar)
    finally:
        bar.finish()
    if not result.ok:
        raise CliError(result.message)
    how = "as main.py over serial" if result.method == "serial" else "as a .hex"
    print(f"flashed {args.file} to {result.target.label} {how}: {result.message}")
    return EXIT_OK


# ---- The table and the entry point


COMMANDS: list[Command] = [
    Command("devices", "list connected boards and micro:bit drives", _devices_arguments, _cmd_devices),
    Command("run", "run a local file on the board without saving it, streaming its output",
            _run_arguments, _cmd_run),
    Command("repl", "interactive MicroPython prompt on the board (Ctrl-] quits)",
            _repl_arguments, _cmd_repl),
    Command("fs", "list, copy and delete files on the board", _fs_arguments, _cmd_fs),
    Command("reset", "soft-reset the board (main.py runs) or, with --hard, reset the chip",
            _reset_arguments, _cmd_reset),
    Command("flash", "make a script run at power-on: main.py over serial, or a .hex on the drive",
            _flash_arguments, _cmd_flash),
]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presenter",
        usage=f"{WINDOW_USAGE}\n       {COMMAND_USAGE}",
        description="Presenter: a Python IDE for live coding. 'presenter [FILE...]' opens the "
                    "window with those files; a COMMAND works with a board from a terminal.",
        epilog="FILE: a file to open in the window; a name that does not exist yet opens an "
               "empty tab, and Save creates the file.",
    )
    parser.add_argument("--version", action="version", version=f"presenter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(command_parser)
        command_parser.set_defaults(handler=command.handler)
    return parser


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"presenter: {message}", file=sys.stderr)
    return code


def _run_command(args: argparse.Namespace) -> int:
    """Run a board command under the one-line error policy."""
    from presenter.device import DeviceError

    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return _fail("interrupted.", EXIT_INTERRUPTED)
    except (CliError, DeviceError) as exc:
        return _fail(str(exc).rstrip())
    except UnicodeDecodeError as exc:
        return _fail(f"not UTF-8 text: {exc.reason} at offset {exc.start}.")
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}.")
    except Exception as exc:  # a bug in Presenter: still one line, unless a developer asks
        if os.environ.get(DEBUG_ENV_VAR):
            raise
        return _fail(f"internal error ({exc.__class__.__name__}: {exc}); set {DEBUG_ENV_VAR}=1 "
                     f"for the traceback and report it.")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    names = [command.name for command in COMMANDS]
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        mistyped = _mistyped_command(argv[0], names) if argv else None
        if mistyped is not None:
            return _fail(f"unknown command {argv[0]!r} (did you mean {mistyped!r}?)", EXIT_USAGE)
        gui = argparse.ArgumentParser(prog="presenter", usage=WINDOW_USAGE)
        gui.add_argument("--version", action="version", version=f"presenter {__version__}")
        _gui_arguments(gui)
        return _run_gui(gui.parse_args(argv))
    args = _build_parser().parse_args(argv)
    return _run_command(args)


def _mistyped_command(word: str, names: Sequence[str]) -> str | None:
    """The board command ``word`` is probably a typo of, or None if it may well be a file.

    ``presenter devcies`` must not open a window with an empty tab called "devcies": the
    user meant a command. A word is only taken for a command when it is not an existing
    path and looks like a command (letters and dashes: no dot, no folder), so
    ``presenter flash.py`` still opens (or creates) flash.py.
    """
    if os.path.exists(word) or not re.fullmatch(r"[A-Za-z][A-Za-z-]*", word):
        return None
    matches = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.6)
    return matches[0] if matches else None
