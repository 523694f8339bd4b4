"""A migrated, empty Prefect database made once per install and copied into a fresh home.

A fresh PREFECT_HOME costs its local server's first start Prefect's own migrations on
SQLite (11-17 s on these machines: most of the first flow command after `init`). One
Prefect version's migrations always make the same empty database, so `make` runs them once
per install and version (`make prefect-template`, into the virtual environment) and the
local server's start copies the result into a home that has no database yet. Without a
template (an install not made by make, another Prefect version) or with a database of the
operator's choosing (a connection URL, a profile), the server migrates as before.
Standard library only: the command line's start reads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

DATABASE_FILE = "prefect.db"  # Prefect's default SQLite file under PREFECT_HOME
_CHOSEN_DATABASE = ("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")


def template_path() -> Path:
    """Where this install keeps the migrated empty database of its Prefect version."""
    return Path(sys.prefix) / "share" / "inspectorate" / f"prefect-{version('prefect')}.db"


def uses_default_database(home: Path, env: Mapping[str, str]) -> bool:
    """Whether the server of `home` would use Prefect's default SQLite file there."""
    if any(key.startswith(_CHOSEN_DATABASE) for key in env):
        return False
    profiles = home / "profiles.toml"
    return not (profiles.exists() and "DATABASE" in profiles.read_text(errors="replace"))


def seed_home(home: Path, env: Mapping[str, str]) -> bool:
    """Copy the template into `home` when it has no database yet; True if it did."""
    template, target = template_path(), home / DATABASE_FILE
    if not template.is_file() or target.exists() or not uses_default_database(home, env):
        return False
    handle, name = tempfile.mkstemp(prefix=f".{DATABASE_FILE}.", dir=home)
    scratch = Path(name)
    try:
        with os.fdopen(handle, "wb") as copy, template.open("rb") as source:
            shutil.copyfileobj(source, copy)
        os.link(scratch, target)  # never over a database another process made meanwhile
    except OSError:  # made meanwhile, or no hard links here: the server migrates as before
        return False
    finally:
        scratch.unlink(missing_ok=True)
    return True


def build_template() -> Path:
    """Run Prefect's migrations on an empty database and keep it as this install's template."""
    target = template_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        made = Path(scratch) / DATABASE_FILE
        env = {k: v for k, v in os.environ.items() if not k.startswith(_CHOSEN_DATABASE)}
        env.update(  # this scratch database only, whatever a profile or .env would say
            PREFECT_HOME=scratch,
            PREFECT_PROFILES_PATH=str(Path(scratch) / "profiles.toml"),
            PREFECT_SERVER_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{made}",
            DO_NOT_TRACK="1",
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
        )
        prefect = Path(sys.executable).parent / "prefect"
        done = subprocess.run(
            [str(prefect), "server", "database", "upgrade", "-y"],
            env=env,
            cwd=scratch,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0 or not made.is_file():
            raise SystemExit(f"Prefect's migrations failed:\n{done.stdout}{done.stderr}")
        for stale in ("-wal", "-shm"):  # a reader's, beside an earlier template: not this one's
            Path(f"{target}{stale}").unlink(missing_ok=True)
        os.replace(made, target)
    return target


if __name__ == "__main__":
    if template_path().is_file() and "--force" not in sys.argv:
        print(f"Prefect database template already made: {template_path()}")
    else:
        print(f"Prefect database template made: {build_template()}")
