"""The `inspectorate` command: handed to the warm runner, or run here (cli/app.py).

Only the standard library and cli/warm.py load before that choice: a command the warm
runner takes starts in a few hundredths of a second.
"""

from __future__ import annotations

import sys

from cli import warm


def main() -> None:
    """Entry point: the warm runner takes the command when one is up, else it runs here."""
    argv = sys.argv[1:]
    code = warm.forward(argv)
    if code is not None:
        sys.exit(code)
    from cli.app import run

    try:
        run()
    except SystemExit as end:
        if end.code in (0, None):
            warm.start_runner_if_useful(argv)  # for the commands that follow
        raise


if __name__ == "__main__":
    main()
