"""Database passwords stay off command lines and out of make's echo; messages mask them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from inspectorate.adapters.database import display_url, normalise_url
from inspectorate.adapters.settings import Settings
from inspectorate.domain.errors import ConfigError, InvalidInput
from inspectorate.services import context

ROOT = Path(__file__).resolve().parent.parent
SECRET = "pw-s3cret"
TARGETS = ("server", "worker", "deploy")


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run make in the project, never re-installing the environment (-o keeps the stamp)."""
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    "pg_url",
    [
        f"postgresql://app:{SECRET}@127.0.0.1:5432",
        f"postgresql://app@127.0.0.1:5432?password={SECRET}",
    ],
)
def test_a_password_in_pg_url_is_refused_without_echoing_it(target: str, pg_url: str) -> None:
    done = make("-n", target, f"PG_URL={pg_url}")
    assert done.returncode != 0
    assert SECRET not in done.stdout + done.stderr
    assert "PG_URL must not carry a password" in done.stderr and "PGPASSWORD" in done.stderr


@pytest.mark.parametrize("target", TARGETS)
def test_the_recipes_name_no_password(target: str) -> None:
    done = make("-n", target, "PG_URL=postgresql://app@127.0.0.1:5432", env={"PGPASSWORD": SECRET})
    assert done.returncode == 0, done.stderr
    assert "app@127.0.0.1:5432" in done.stdout
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize("target", TARGETS)
def test_the_password_reaches_the_processes_by_environment_only(
    target: str, tmp_path: Path
) -> None:
    """Stand-ins for python, prefect and inspectorate record their argv and environment."""
    fake_bin, log = tmp_path / "bin", tmp_path / "calls.log"
    fake_bin.mkdir()
    for program in ("python", "prefect", "inspectorate"):
        script = fake_bin / program
        script.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "{program} $*" >> "{log}"\n'
            f'[ "$PGPASSWORD" = "{SECRET}" ] && echo "{program}: PGPASSWORD" >> "{log}"\n'
            "exit 0\n"
        )
        script.chmod(0o755)
    done = make(
        target,
        f"BIN={fake_bin}",
        "PG_URL=postgresql://app@127.0.0.1:5432",
        env={"PGPASSWORD": SECRET, "PREFECT_HOME": str(tmp_path / "prefect")},
    )
    assert done.returncode == 0, done.stderr
    calls = log.read_text()
    started = {line.split()[0] for line in calls.splitlines() if "PGPASSWORD" not in line}
    assert started == {"server": {"python", "prefect"}, "worker": {"prefect"}}.get(
        target, {"python", "prefect", "inspectorate"}
    )
    assert SECRET not in calls and SECRET not in done.stdout + done.stderr
    assert all(f"{program}: PGPASSWORD" in calls for program in started)


def test_create_databases_refuses_a_password_on_its_command_line() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deployments" / "create_databases.py"),
            f"postgresql://app:{SECRET}@127.0.0.1:1",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "PGPASSWORD" in done.stderr
    assert SECRET not in done.stdout + done.stderr


def test_the_password_file_is_merged_into_the_record_url(tmp_path: Path) -> None:
    secret = tmp_path / "db-password"
    secret.write_text("s@cret:/ with space\n")
    settings = Settings(
        database_url="postgresql://app@db.internal:5432/inspectorate",
        database_password_file=secret,
    )
    url = make_url(settings.record_url())
    assert (url.username, url.password, url.host) == ("app", "s@cret:/ with space", "db.internal")
    assert settings.database_url == "postgresql://app@db.internal:5432/inspectorate"
    assert "cret" not in display_url(settings.record_url())
    assert context.engine(settings).url.password == "s@cret:/ with space"  # no connection yet


def test_without_a_password_file_the_url_is_used_as_given() -> None:
    settings = Settings(database_url="postgresql://app@127.0.0.1:5432/inspectorate")
    assert settings.record_url() == settings.database_url  # libpq: PGPASSWORD or ~/.pgpass
    sqlite = Settings(database_url="sqlite:///var/x.db", database_password_file=Path("/nowhere"))
    assert sqlite.record_url() == "sqlite:///var/x.db"


@pytest.mark.parametrize(
    ("url", "content", "message"),
    [
        ("postgresql://app:pw@h/db", "other", "carries a password too"),
        ("postgresql://app@h/db", None, "cannot read it"),
        ("postgresql://app@h/db", "\nsecond line", "is empty"),
    ],
)
def test_a_bad_password_file_is_a_config_error(
    tmp_path: Path, url: str, content: str | None, message: str
) -> None:
    secret = tmp_path / "db-password"
    if content is not None:
        secret.write_text(content)
    settings = Settings(database_url=url, database_password_file=secret)
    with pytest.raises(ConfigError, match=message) as refused:
        settings.record_url()
    assert "INSPECTORATE_DATABASE_PASSWORD_FILE" in str(refused.value)
    assert "pw" not in str(refused.value).replace(str(tmp_path), "")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:pw@h:5432/db", "postgresql://app:***@h:5432/db"),
        ("postgresql://app:p@w@h/db", "postgresql://app:***@h/db"),
        (
            "postgresql://app@h/db?sslmode=require&password=pw",
            "postgresql://app@h/db?sslmode=require&password=***",
        ),
        ("postgresql://app@h:5432/db", "postgresql://app@h:5432/db"),
        ("sqlite:///var/inspectorate.db", "sqlite:///var/inspectorate.db"),
    ],
)
def test_every_display_of_a_url_masks_its_password(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_an_unparseable_url_is_refused_without_its_password() -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_url("not-a-url://app:pw-s3cret@")
    assert SECRET not in str(refused.value)
