"""Errors raised by inspectorate.

The tree, and when to catch each::

    InspectorateError                 anything the product raises on purpose
    ├── ConfigError (ValueError)      a config file (programme, bodies) is malformed
    ├── InvalidInput (ValueError)     a value given by a user is malformed (a date, a name)
    │   ├── UnknownBody (LookupError)
    │   ├── UnknownProgramme (LookupError)
    │   ├── UnknownFramework (LookupError)
    │   └── UnknownInspection (LookupError)
    │   └── InvalidFile              a data file (caseload, judgements) has bad rows; lists them
    ├── InvalidTransition (ValueError) a lifecycle step that the table does not allow
    ├── NoticeTooShort (ValueError)   scheduling would shorten the ten weeks' notice
    ├── Unschedulable (ValueError)    no team is free in the weeks asked for
    ├── NotInitialised (RuntimeError) the database has no schema, or an old one
    └── DeliveryError (OSError)       mail could not be handed to the SMTP server/outbox

Messages speak of the domain ("language 'fr' is not one of en, cy"), never of a flag or a
page: `field` names the value a person gave, so the command line can say which option to fix
and the dashboard which form field. The CLI maps every InspectorateError to exit code 2 and
one clear line, adding its own hints (the option, the command that fixes it).
"""

from __future__ import annotations


class InspectorateError(Exception):
    """Root of every error inspectorate raises on purpose."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfigError(InspectorateError, ValueError):
    """A configuration file is malformed; the message names the file and the field."""


class InvalidInput(InspectorateError, ValueError):
    """A value supplied by a user is malformed."""


class UnknownBody(InvalidInput, LookupError):
    """No inspected body has that name."""


class UnknownProgramme(InvalidInput, LookupError):
    """No programme has that code."""


class UnknownInspection(InvalidInput, LookupError):
    """No inspection has that id."""


class UnknownFramework(InvalidInput, LookupError):
    """No criteria framework has that code."""


def cut(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters, ending in '…' when it was longer."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


class InvalidFile(InvalidInput):
    """A data file has problems; `problems` lists them as 'row N, column C: what'.

    The message stays short whatever the file holds: the name is cut to 120 characters, each
    problem to 300, and at most `shown` problems (and 2,000 characters of them) are listed.
    """

    def __init__(self, path: str, problems: list[str], *, shown: int = 20) -> None:
        self.path = path
        self.problems = problems
        listed: list[str] = []
        budget = 2_000
        for problem in problems[:shown]:
            line = cut(problem, 300)
            if listed and budget < len(line):
                break
            listed.append(line)
            budget -= len(line)
        rest = len(problems) - len(listed)
        more = f"\n  … and {rest} more" if rest else ""
        name = path if len(path) <= 120 else "…" + path[-119:]  # keep the file's own name
        super().__init__(f"{name}: {len(problems)} problem(s):\n  " + "\n  ".join(listed) + more)


class InvalidTransition(InspectorateError, ValueError):
    """The lifecycle table does not allow this step from the current status."""


class NoticeTooShort(InspectorateError, ValueError):
    """The announcement date would already have passed: notice is never shortened."""


class Unschedulable(InspectorateError, ValueError):
    """The weeks asked for are already at the programme's team capacity."""


class NotInitialised(InspectorateError, RuntimeError):
    """The database is not at the latest schema, or holds no bodies or programmes yet."""


class DeliveryError(InspectorateError, OSError):
    """A message could not be delivered."""
