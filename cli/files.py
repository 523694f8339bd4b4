"""Writing the file a command's --out names: all of it or nothing, and a clear refusal."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from inspectorate.domain.errors import InvalidInput


def check_out(out: Path, option: str = "--out") -> None:
    """Refuse, before any work, a file that cannot be written: no such folder, or a folder."""
    if out.is_dir():
        raise InvalidInput(f"{option} {out} is a folder; give a file name in it")
    if not out.parent.is_dir():
        raise InvalidInput(
            f"{option} {out}: the folder {out.parent} does not exist; create it first "
            "or choose another file"
        )


def write_out(out: Path, write: Callable[[Path], object], option: str = "--out") -> None:
    """Write `out` through `write`, given a file beside it renamed over `out` once whole.

    A failure (a full disk, no permission) leaves no half-written file and says so in one line.
    """
    check_out(out, option)
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, out)
    except OSError as exc:
        raise InvalidInput(f"{option} {out}: cannot write it ({exc.strerror or exc})") from None
    finally:
        temporary.unlink(missing_ok=True)
