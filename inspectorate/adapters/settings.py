"""Settings from the environment (prefix INSPECTORATE_), each with its help text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from inspectorate.domain.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Everything that differs between a laptop and production."""

    model_config = SettingsConfigDict(env_prefix="INSPECTORATE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/inspectorate.db",
        description="SQLAlchemy URL of the product's database (the record). "
        "SQLite under var/ by default; postgresql+psycopg://user@host/db in production.",
    )
    database_password_file: Path | None = Field(
        default=None,
        description="File whose first line is the record's database password, merged into "
        "INSPECTORATE_DATABASE_URL (which then names none) when connecting: a mounted secret. "
        "PGPASSWORD and ~/.pgpass work as well; never put the password on a command line.",
    )
    database_busy_timeout: float = Field(
        default=30.0,
        ge=0,
        description="Seconds a command waits for a record (SQLite) that another process is "
        "writing before it gives up saying the record is busy.",
    )
    config_dir: Path = Field(
        default=PROJECT_ROOT / "config",
        description="Folder with programmes/ and bodies/.",
    )
    templates_dir: Path = Field(
        default=PROJECT_ROOT / "templates",
        description="Folder with the shipped jinja2 templates.",
    )
    user_templates_dir: Path | None = Field(
        default=None,
        description="Optional folder whose templates override the shipped ones, file by file.",
    )
    outbox_dir: Path = Field(
        default=Path("var/outbox"),
        description="Folder where mail is written as .eml files when no SMTP host is set.",
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server; when unset, mail goes to the outbox folder."
    )
    smtp_port: int = Field(default=25, description="SMTP port (587 for STARTTLS, 465 for TLS).")
    smtp_starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    smtp_ssl: bool = Field(default=False, description="Connect with implicit TLS (port 465).")
    smtp_username: str | None = Field(default=None, description="SMTP login name, if any.")
    smtp_password: str | None = Field(default=None, description="SMTP password, if any.")
    smtp_timeout_seconds: float = Field(default=30.0, description="SMTP connect/send timeout.")
    smtp_ca_file: Path | None = Field(
        default=None,
        description="PEM file of the CA(s) to trust for the SMTP server's TLS certificate "
        "instead of the system's (a private CA); certificates are always verified.",
    )
    smtp_allow_plaintext_auth: bool = Field(
        default=False,
        description="Allow the SMTP login over an unencrypted connection when the server "
        "offers no STARTTLS; only for a relay on loopback. Otherwise a login needs TLS.",
    )
    mail_from: str = Field(
        default="HM Inspectorate of Probation <programmes@inspectorate.invalid>",
        description="From: address of every message.",
    )
    team_email: str = Field(
        default="inspection-team@inspectorate.invalid",
        description="Mailbox of the inspection team (reminders for team-owned milestones).",
    )
    manager_email: str = Field(
        default="programme-manager@inspectorate.invalid",
        description="Mailbox of the programme manager (escalations of overdue milestones).",
    )
    body_email_domain: str = Field(
        default="bodies.invalid",
        description="Domain for an inspected body's address when none is on record.",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address of the dashboard as readers of the mail reach it; links in "
        "mail to documents and inspection pages start with it.",
    )

    reports_dir: Path = Field(
        default=Path("out/reports"),
        description="Folder where letters and reports are written by the lifecycle.",
    )
    report_formats: str = Field(
        default="html,pdf",
        description="Formats the lifecycle writes each letter and report in: html, pdf or both "
        "(comma-separated).",
    )

    server_timers: bool = Field(
        default=False,
        description="Server mode: the draft starts a run that waits for the body's comments, a "
        "sign-off on or after its step's day starts that step's run, and the sweep hands the "
        "documents its morning owes to the workers in batches (needs `make deploy`; the "
        "workers set it).",
    )
    sweep_batch_size: int = Field(
        default=25,
        ge=1,
        description="Server mode: how many inspections' owed documents one `finish-owed-effects` "
        "run of the sweep carries out; a morning owing no more than this does them in the "
        "sweep's own run.",
    )
    sweep_lease_seconds: float = Field(
        default=120.0,
        ge=5,
        description="How long a deadline sweep's lease in the record lasts without renewal "
        "(renewed every quarter of it while the sweep runs). A second sweep waits up to this "
        "long for the holder, then supersedes one that died or leaves the day to the live one.",
    )
    local_server: bool = Field(
        default=True,
        description="With no PREFECT_API_URL, run flows on a local Prefect server that "
        "outlives one command (started on demand under PREFECT_HOME, reused; "
        "`inspectorate server stop` stops it); false: a temporary server per command.",
    )
    warm_runner: bool = Field(
        default=True,
        description="With the local server: after the first flow command, later ones start "
        "from a warm runner (a process that imported Prefect and the flows once, forked per "
        "command; cli/warm.py reads this variable itself); false: every command imports them.",
    )

    login_backoff_after: int = Field(
        default=5,
        ge=1,
        description="Wrong passwords in a row for one account before each further sign-in "
        "attempt must wait (1 s, doubling).",
    )
    login_lockout_after: int = Field(
        default=10,
        ge=1,
        description="Wrong passwords in a row for one account that lock it for "
        "INSPECTORATE_LOGIN_LOCKOUT_MINUTES.",
    )
    login_address_backoff_after: int = Field(
        default=20,
        ge=1,
        description="Wrong passwords from one client address (any accounts) before each "
        "further attempt from it must wait.",
    )
    login_address_lockout_after: int = Field(
        default=30,
        ge=1,
        description="Wrong passwords from one client address that lock the address out.",
    )
    login_lockout_minutes: int = Field(
        default=15,
        ge=1,
        description="How long a lockout lasts; wrong passwords are also forgotten after this "
        "long without one.",
    )

    def record_url(self) -> str:
        """The record's URL to connect with: the password file's password merged in."""
        source = self.database_password_file
        if source is None:
            return self.database_url
        setting = f"INSPECTORATE_DATABASE_PASSWORD_FILE={source}"
        from sqlalchemy.engine import make_url  # only here: commands without a database skip it
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(self.database_url)
        except ArgumentError:
            raise ConfigError("INSPECTORATE_DATABASE_URL is not an SQLAlchemy URL") from None
        if url.get_backend_name() == "sqlite":
            return self.database_url
        if url.password is not None:
            raise ConfigError(
                f"{setting} is set and INSPECTORATE_DATABASE_URL carries a password too: "
                "keep the password in the file only"
            )
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ConfigError(f"{setting}: cannot read it ({reason})") from exc
        if not lines or not lines[0]:
            raise ConfigError(f"{setting}: its first line, the password, is empty")
        return url.set(password=lines[0]).render_as_string(hide_password=False)

    def document_formats(self) -> tuple[str, ...]:
        """The formats documents are written in, checked."""
        formats = tuple(f.strip() for f in self.report_formats.split(",") if f.strip())
        if not formats or any(f not in ("html", "pdf") for f in formats):
            raise ConfigError(
                f"INSPECTORATE_REPORT_FORMATS={self.report_formats!r}: use html, pdf or html,pdf"
            )
        return formats


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings, read once from the environment (ConfigError naming a bad one)."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "INSPECTORATE_" + str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(
            f"{name}={first.get('input')!r}: {first['msg'].lower()}; correct it in the "
            "environment (see Settings in README.md)"
        ) from None
