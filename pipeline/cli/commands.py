"""Running a command line: parse it, run the command, turn every error a user can cause into
``file:line: error: message`` and an exit status (1, or 2 for a wrong command line), without
a traceback unless ``--debug`` is given.

Each command's own module is loaded only when that command runs (the second start-up
seam): ``mdpaper build`` of an up-to-date post never loads the converter that ``check`` and
``watch`` need, and ``--help`` loads none of them.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading

from mdpaper.cli.arguments import make_parser
from mdpaper.errors import MdpaperError
from mdpaper.progress import make_reporter, reporting

#: command -> the module whose ``run(args)`` carries it out
COMMANDS = {"build": "mdpaper.cli.build_command", "arxiv": "mdpaper.cli.arxiv_command",
            "check": "mdpaper.cli.check_command", "watch": "mdpaper.cli.watch_command",
            "hugo": "mdpaper.cli.hugo_command", "completion": "mdpaper.cli.completion_command",
            "cache": "mdpaper.cli.cache_command"}


class Terminated(KeyboardInterrupt):
    """SIGTERM (a timeout, a service manager, kill): handled as Ctrl-C is, so the TeX run's
    process group is stopped and the previous outputs stay in place."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def run(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    args = make_parser().parse_args(argv)
    if args.command is None:
        make_parser().print_help()
        return 2
    try:
        command = importlib.import_module(COMMANDS[args.command])
        # check is for save hooks: its stages are shown with -v only.
        quiet = args.quiet or (args.command == "check" and not args.verbose)
        with reporting(make_reporter(quiet, args.verbose)):
            return int(command.run(args))
    except MdpaperError as exc:
        if args.debug:
            raise
        for warning in exc.warnings if not args.quiet else []:
            print(str(warning), file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as stop:
        print("mdpaper: interrupted; previous outputs left in place", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    except Exception as exc:  # a bug in mdpaper, not in the post: say so, briefly
        if args.debug:
            raise
        print(f"mdpaper: internal error: {type(exc).__name__}: {exc} (rerun with --debug "
              "for the traceback and report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run())
