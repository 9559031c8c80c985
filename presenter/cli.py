"""The ``presenter`` command: the window, or one of the board subcommands.

Subcommands live in one table (``COMMANDS``) so help, dispatch and the test that checks
every command is covered all walk the same list. Qt is imported only on the path that
opens the window, so ``presenter devices`` starts instantly and works over SSH.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from presenter import __version__


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


def _gui_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", help="files to open")


def _run_gui(args: argparse.Namespace) -> int:
    from presenter.app import run_app  # lazy: Qt only when the window opens

    return run_app(args.files)


COMMANDS: list[Command] = []


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presenter",
        description="Presenter: a Python IDE for live coding. Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"presenter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(command_parser)
        command_parser.set_defaults(handler=command.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    names = {command.name for command in COMMANDS}
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        gui = argparse.ArgumentParser(prog="presenter")
        gui.add_argument("--version", action="version", version=f"presenter {__version__}")
        _gui_arguments(gui)
        return _run_gui(gui.parse_args(argv))
    args = _build_parser().parse_args(argv)
    return args.handler(args)
