"""The inspection team's report text, checked against the framework's outcomes (pure).

The team writes a foreword, per headline outcome its key strengths and areas for
improvement, and recommendations (``[outcomes.<id>] strengths = [...]``). The text is read
as TOML by a service; here it is a mapping: its keys are checked, every outcome id must be
one of the framework's (a typo would otherwise lose the text silently), and what the report
would still print as "To be written by the inspection team." can be listed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from inspectorate.domain.errors import InvalidFile

EDITABLE_KEYS = ("foreword", "outcomes", "recommendations")
NOTE_KEYS = ("strengths", "improvements")


def _unknown(what: str, given: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(given, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {given!r}{hint}"


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def team_text_problems(
    editable: Mapping[str, Any], outcome_ids: Sequence[str] | None = None
) -> list[str]:
    """List what is wrong with the team's text; outcome ids are checked unless None is given."""
    problems = [
        f"{_unknown('key', key, EDITABLE_KEYS)}: use {', '.join(EDITABLE_KEYS)}"
        for key in editable
        if key not in EDITABLE_KEYS
    ]
    if not isinstance(editable.get("foreword", ""), str):
        problems.append('foreword: give one text, e.g. foreword = "..."')
    if not _is_text_list(editable.get("recommendations", [])):
        problems.append('recommendations: give a list of texts, e.g. recommendations = ["..."]')
    outcomes = editable.get("outcomes", {})
    if not isinstance(outcomes, Mapping):
        problems.append(
            'outcomes: give a table per outcome, e.g. outcomes.victims.strengths = ["..."]'
        )
        return problems
    for outcome, notes in outcomes.items():
        if outcome_ids is not None and outcome not in outcome_ids:
            problems.append(
                f"{_unknown('outcome', outcome, outcome_ids)}; the outcomes of this "
                f"framework are: {', '.join(outcome_ids)}"
            )
        if not isinstance(notes, Mapping):
            problems.append(f"outcomes.{outcome}: give strengths = [...] and improvements = [...]")
            continue
        for key, value in notes.items():
            if key not in NOTE_KEYS:
                problems.append(
                    f"outcomes.{outcome}: {_unknown('key', key, NOTE_KEYS)}; "
                    "give strengths = [...] and improvements = [...]"
                )
            elif not _is_text_list(value):
                problems.append(f'outcomes.{outcome}.{key}: give a list of texts, e.g. ["..."]')
    return problems


def check_team_text(
    editable: Mapping[str, Any], outcome_ids: Sequence[str] | None, where: str
) -> dict[str, Any]:
    """Return the team's text as a dict, or raise InvalidFile (at `where`) listing every problem."""
    problems = team_text_problems(editable, outcome_ids)
    if problems:
        raise InvalidFile(where, problems)
    return dict(editable)


def missing_team_text(editable: Mapping[str, Any], outcome_ids: Sequence[str]) -> list[str]:
    """List the fields the report would print as "To be written by the inspection team.".

    One entry per empty or missing field, named as the team's TOML names it:
    ``recommendations``, then ``outcomes.<id>.strengths`` and ``outcomes.<id>.improvements``
    in the framework's order. A report goes out with recommendations (seed 003 always has
    them); the foreword is optional (a published report without one leaves it out).
    """
    outcomes = editable.get("outcomes", {})
    missing = [] if editable.get("recommendations") else ["recommendations"]
    for outcome in outcome_ids:
        notes = outcomes.get(outcome, {}) if isinstance(outcomes, Mapping) else {}
        for key in NOTE_KEYS:
            if not (isinstance(notes, Mapping) and notes.get(key)):
                missing.append(f"outcomes.{outcome}.{key}")
    return missing


def team_text_digest(text: str) -> str:
    """Return the sha256 (hex) of the team's stored text as UTF-8 ('' gives the empty digest)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scores_digest(rows: Iterable[Sequence[object]]) -> str:
    """Return the sha256 (hex) of stored score rows, whatever order they come in.

    Each row is (level, key, sufficient, applicable, score, rating): the same scores stored
    again give the same digest; any value changed, added or gone gives another.
    """
    lines = sorted(json.dumps([_plain(v) for v in row]) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    # A score read back from PostgreSQL may be a Decimal or a float with other digits.
    return round(float(value), 6) if isinstance(value, (float, Decimal)) else value
