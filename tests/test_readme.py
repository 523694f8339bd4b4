"""The README is executed (issue 14, part 2): its shell examples run in order and must work.

Every command of every ```sh block in README.md runs, in the order written, in a fresh
folder with the default settings (so a fresh record under var/, as a new user's first
`inspectorate init` makes), through bash with .venv/bin first on PATH, as a person would
type it from the repository's root (config/ is linked in). It fails naming the README line
of the first command that exits non-zero. How the test reads a command:

- `[...]` marks an optional part: the command runs without it;
- a line's `# ...` is a comment, a line ending in `\\` continues, a heredoc (`<<'EOF'`) is
  part of its command;
- the README's dates from the year of its "for example" fieldwork date on are examples
  relative to today: when that fieldwork would no longer have ten weeks' notice, all of them
  move by the same whole number of weeks (the least that keeps every milestone of those
  fieldwork weeks exactly as many weeks later), and by nothing while it still would;
- a command that asks for a password reads it from standard input, given twice;
- as for a reader, `init` starts the local Prefect server and the warm runner that later
  commands use; the test stops both;
- SKIPPED lists the only commands not run, each with its reason, shown as skipped tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest

from cli import warm
from inspectorate.adapters import clock
from inspectorate.domain.date_rules import week_problems
from inspectorate.domain.milestones import plan_milestones
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.services import context
from tests.import_graph import ROOT
from tests.test_local_server import servers_of

README = ROOT / "README.md"
SHELL_FENCES = ("sh", "console")
PASSWORD = "correct horse battery staple"
SKIPPED = {
    "make demo": "installs the project, then runs six inspections in simulated time for "
    "minutes; `inspectorate demo` is the same programme",
    "make test": "runs the whole test suite, this test included",
    "make server": "starts a Prefect server that runs until it is stopped "
    "(tests/test_server_mode.py starts it)",
    "make worker": "starts a worker that runs until it is stopped (tests/test_server_mode.py)",
    "make deploy": "needs the server that `make server` starts (tests/test_server_mode.py)",
    "source .venv/bin/activate": "the test puts .venv/bin first on PATH instead",
    "inspectorate demo": "runs for minutes in simulated time; tests/test_flows.py runs "
    "the demo's programme",
    "inspectorate dashboard": "a web server that runs until it is stopped "
    "(tests/test_dashboard*.py serve the same app)",
}
DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
EXAMPLE = re.compile(r"for example\s+(\d{4}-\d{2}-\d{2})")
HEREDOC = re.compile(r"(?<!<)<<-?\s*'?([A-Za-z_]+)'?")
OPTIONAL = re.compile(r"\s+\[[^\[\]]*\]")


@dataclass(frozen=True)
class Command:
    """One command of the README: where it is, as written, and as the test runs it."""

    line: int
    written: str

    def skipped(self) -> str | None:
        """Why the test does not run it, or None."""
        first = self.written.split("#")[0].strip()
        return next((why for start, why in SKIPPED.items() if first.startswith(start)), None)


def readme_commands(text: str) -> list[Command]:
    """Every command of the README's shell blocks, in order, with its first line's number."""
    lines = text.splitlines()
    found: list[Command] = []
    shell = inside = False
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if line.startswith("```"):
            shell = not inside and line[3:].strip().split(" ")[0] in SHELL_FENCES
            inside = not inside
            continue
        if not shell or not line.strip() or line.strip().startswith("#"):
            continue
        start, body = number, [line]
        while body[-1].endswith("\\"):
            body.append(lines[number])
            number += 1
        heredoc = HEREDOC.search(body[0])
        if heredoc:
            while lines[number].strip() != heredoc.group(1):
                body.append(lines[number])
                number += 1
            body.append(lines[number])
            number += 1
        found.append(Command(start, "\n".join(body)))
    return found


def as_run(command: Command, weeks: int, from_year: int) -> str:
    """The command as the test runs it: no optional parts, example dates moved `weeks`."""
    first, *rest = command.written.split("\n")
    first = OPTIONAL.sub("", first.split(" #")[0]) if not HEREDOC.search(first) else first
    return DATE.sub(lambda m: _moved(m, weeks, from_year), "\n".join([first, *rest]))


def _moved(match: re.Match[str], weeks: int, from_year: int) -> str:
    day = dt.date(*(int(part) for part in match.groups()))
    return (day + dt.timedelta(weeks=weeks)).isoformat() if day.year >= from_year else match[0]


def weeks_to_move(example: dt.date, starts: list[dt.date], today: dt.date) -> int:
    """The fewest whole weeks that give the example fieldwork full notice from `today`.

    Every moved fieldwork week must be usable (no bank holiday, not at Christmas) and keep
    each milestone exactly as many weeks later, so the README's other dates still fit.
    """
    programme = context.programmes()["cci"]
    for weeks in range(0, 53 * 10):
        moved = pendulum.date(example.year, example.month, example.day).add(weeks=weeks)
        if week_problems(programme, moved, notice_from=today):
            continue
        if all(_keeps_its_days(programme, start, weeks) for start in starts):
            return weeks
    raise AssertionError(f"no week within ten years makes {example} usable")


def _keeps_its_days(programme: ProgrammeDefinition, start: dt.date, weeks: int) -> bool:
    before = pendulum.date(start.year, start.month, start.day)
    after = before.add(weeks=weeks)
    usable = not week_problems(programme, after, notice_from=after.subtract(years=1))
    planned = zip(
        plan_milestones(programme, before), plan_milestones(programme, after), strict=True
    )
    return usable and all(b.due.add(weeks=weeks) == a.due for b, a in planned)


TEXT = README.read_text(encoding="utf-8")
COMMANDS = readme_commands(TEXT)
EXAMPLE_DAY = dt.date.fromisoformat(EXAMPLE.findall(TEXT)[0])
STARTS = sorted(
    {
        dt.date.fromisoformat(day)
        for c in COMMANDS
        for day in re.findall(r"--fieldwork-start (\d{4}-\d{2}-\d{2})", c.written)
        if int(day[:4]) >= EXAMPLE_DAY.year
    }
)


@dataclass(frozen=True)
class Ran:
    """What one command did."""

    command: str
    code: int
    output: str


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Ran]:
    """Run the README's commands in order in a fresh folder, up to the first failure."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "config").symlink_to(ROOT / "config")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTORATE_")}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # As a reader has it: `init` starts the local Prefect server and the warm runner, which
    # the later commands use; both are stopped after, whatever happened.
    home = folder / ".prefect"
    env["PREFECT_HOME"] = str(home)
    weeks = weeks_to_move(EXAMPLE_DAY, STARTS, clock.today())
    ran: dict[int, Ran] = {}
    try:
        for command in COMMANDS:
            if command.skipped():
                continue
            text = as_run(command, weeks, EXAMPLE_DAY.year)
            done = subprocess.run(
                ["bash", "-c", f"set -o pipefail\n{text}"],
                cwd=folder,
                env=env,
                input=f"{PASSWORD}\n{PASSWORD}\n",
                capture_output=True,
                text=True,
                timeout=900,
                start_new_session=True,  # no terminal: a password prompt reads standard input
            )
            ran[command.line] = Ran(text, done.returncode, done.stdout + done.stderr)
            if done.returncode != 0:
                break
    finally:
        stop_everything_started_on(home)
    return ran


def stop_everything_started_on(home: Path) -> None:
    """Stop the warm runner and every Prefect server that ran on this PREFECT_HOME."""
    warm.stop(home)
    for pid in servers_of(home):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


@pytest.mark.parametrize("command", COMMANDS, ids=[f"README.md:{c.line}" for c in COMMANDS])
def test_readme_command_works(command: Command, walkthrough: dict[int, Ran]) -> None:
    why = command.skipped()
    if why:
        pytest.skip(f"{command.written.split('#')[0].strip()}: {why}")
    assert command.line in walkthrough, "not run: an earlier README command failed"
    ran = walkthrough[command.line]
    assert ran.code == 0, (
        f"README.md line {command.line} exited {ran.code}:\n$ {ran.command}\n{ran.output[-3000:]}"
    )


def test_every_skip_names_a_readme_command() -> None:
    used = {start for c in COMMANDS for start in SKIPPED if c.skipped() == SKIPPED[start]}
    assert used == set(SKIPPED)


def test_the_reader_is_exact() -> None:
    text = (
        "```sh\na [--json] # note\n# only a comment\ncat > f <<'EOF'\nx [y]\nEOF\nb \\\n c\n```\n"
    )
    found = readme_commands(text)
    assert [(c.line, c.written) for c in found] == [
        (2, "a [--json] # note"),
        (4, "cat > f <<'EOF'\nx [y]\nEOF"),
        (7, "b \\\n c"),
    ]
    assert as_run(found[0], 2, 2027) == "a"
    assert as_run(found[1], 0, 2027) == "cat > f <<'EOF'\nx [y]\nEOF"
    moved = Command(1, "x --as-of 2027-03-05 --until 2014-06-30")
    assert as_run(moved, 2, 2027) == "x --as-of 2027-03-19 --until 2014-06-30"
