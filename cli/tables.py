"""Rich tables of what the services return: milestones, inspections, reminders, steps, scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.lazy import lazy_module

if TYPE_CHECKING:
    from inspectorate.domain import frameworks, milestones
    from inspectorate.services import context, score_views, users, views
else:
    context = lazy_module("inspectorate.services.context")
    frameworks = lazy_module("inspectorate.domain.frameworks")
    milestones = lazy_module("inspectorate.domain.milestones")
    score_views = lazy_module("inspectorate.services.score_views")
    users = lazy_module("inspectorate.services.users")
    views = lazy_module("inspectorate.services.views")


def planned_milestones_table(planned: Sequence[milestones.PlannedMilestone], title: str) -> Table:
    """Return a table of planned milestones with weekday and owner."""
    table = Table(title=title)
    for heading in ("milestone", "due", "day", "owner", "what"):
        table.add_column(heading)
    for m in planned:
        table.add_row(
            m.kind, m.due.isoformat(), m.due.format("ddd"), m.rule.owner.value, m.rule.label
        )
    return table


def inspection_tables(data: dict[str, Any]) -> list[Table]:
    """Return the milestone and audit tables for `inspection_json` data."""
    links = ""
    if data["parent_id"]:
        links += f"; {data['kind'].replace('_', '-')} of inspection {data['parent_id']}"
    for child in data["children"]:
        links += f"; {child['kind'].replace('_', '-')}: inspection {child['id']}"
    milestones = Table(
        title=f"Inspection {data['id']}: {data['programme'].upper()} of "
        f"{data['body']} — {data['status']}{links}"
    )
    for heading in ("milestone", "due", "done"):
        milestones.add_column(heading)
    for m in data["milestones"]:
        milestones.add_row(m["milestone"], m["due"], m["done_at"] or "")
    audit = Table(title="Audit trail")
    for heading in ("at", "actor", "entity", "action", "from → to", "why"):
        audit.add_column(heading)
    for e in data["audit"]:
        audit.add_row(
            e["at"],
            e["actor"],
            e["entity"],
            e["action"],
            f"{e['from'] or '∅'} → {e['to'] or '∅'}" if e["from"] or e["to"] else "",
            e["why"],
        )
    tables = [milestones]
    if data.get("sign_offs"):
        signed = Table(title="Sign-offs")
        for heading in ("what", "by", "at", "on the text as it stands"):
            signed.add_column(heading)
        for s in data["sign_offs"]:
            signed.add_row(
                s["what"],
                f"{s['by']} ({s['role']})",
                s["at"],
                "yes" if s["current"] else "no: sign again",
            )
        tables.append(signed)
    if data.get("waiting_for"):
        held = Table(title="Waiting for a person")
        held.add_column("what")
        held.add_row(data["waiting_for"])
        tables.append(held)
    return [*tables, audit]


def summaries_table(summaries: Sequence[views.InspectionSummary], title: str) -> Table:
    """Return the programme overview table."""
    table = Table(title=title)
    for heading in ("id", "inspection", "fieldwork", "status", "next milestone", "reminders sent"):
        table.add_column(heading)
    for s in summaries:
        upcoming = (
            f"{s.next_milestone} ({s.next_due.isoformat()})"
            if s.next_milestone and s.next_due
            else "—"
        )
        table.add_row(
            str(s.id),
            s.title,
            s.fieldwork_start.isoformat(),
            s.status,
            upcoming,
            str(s.reminders_sent),
        )
    return table


def reminders_table(rows: list[dict[str, Any]]) -> Table:
    """Return a table of reminders."""
    table = Table(title=f"Reminders ({len(rows)})")
    for heading in ("day", "inspection", "milestone", "kind", "to", "sent"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r["remind_on"],
            f"{r['inspection']} {r['body']}",
            r["milestone"],
            r["kind"],
            r["to"],
            r["sent_at"] or "pending",
        )
    return table


def steps_table(body: str, steps: Sequence[views.Step]) -> Table:
    """Return an inspection's lifecycle steps and escalations (`views.lifecycle_steps`)."""
    table = Table(title=f"{body}, step by step (from the audit trail)")
    for heading in ("when", "who", "step", "from → to", "why"):
        table.add_column(heading)
    for s in steps:
        table.add_row(s.when, s.who, s.step, s.change, s.why)
    return table


def headline_scores_table(
    rows: Sequence[score_views.HeadlineScores], framework: frameworks.Framework
) -> Table:
    """Return scored inspections' headline scores under the framework's headlines, one row each."""
    table = Table(title=f"{framework.name}: headline scores (% of work done well enough)")
    table.add_column("inspection")
    for headline in framework.headlines:
        table.add_column(headline.name.split(" by ")[0], justify="right", max_width=14)
    for row in rows:
        cells = [
            f"{row.scores[h.id]:.0f}%" if h.id in row.scores else "—" for h in framework.headlines
        ]
        table.add_row(f"{row.inspection_id} {row.body}", *cells)
    return table


def score_tables(data: dict[str, Any], framework: frameworks.Framework) -> list[Table]:
    """Return headline, criterion and breakdown tables for `Scores.as_json` data."""
    headlines = Table(title=f"{framework.name}: headline scores")
    for heading in ("headline", "score", "band"):
        headlines.add_column(heading)
    names = {h.id: h.name for h in framework.headlines}
    for key, value in data["headline"].items():
        headlines.add_row(names[key], f"{value:.1f}%", data.get("bands", {}).get(key) or "")
    for criterion, rating in data.get("ratings", {}).items():
        headlines.add_row(f"{criterion} (rated)", rating, "")
    criteria = Table(title="Criteria and questions")
    for heading in ("criterion / question", "sufficient / applicable", "score"):
        criteria.add_column(heading)
    for key, value in data["criteria"].items():
        criteria.add_row(key, "", f"{value:.1f}%")
    for key, q in data["questions"].items():
        criteria.add_row(f"  {key}", f"{q['sufficient']} / {q['applicable']}", f"{q['score']:.1f}%")
    tables = [headlines, criteria]
    for dimension, groups in data.get("breakdowns", {}).items():
        table = Table(title=f"By {dimension.replace('_', ' ')}")
        table.add_column("group")
        table.add_column("cases")
        for key in data["headline"]:
            table.add_column(key)
        for group, entry in groups.items():
            scores = entry.get("headline", {})
            table.add_row(
                group,
                str(entry["cases"]) + (" (suppressed)" if entry["suppressed"] else ""),
                *[f"{scores[k]:.1f}%" if k in scores else "—" for k in data["headline"]],
            )
        tables.append(table)
    return tables


def users_table(accounts: Sequence[users.AccountSummary]) -> Table:
    """Return the dashboard accounts, with their state, sessions and inspections."""
    table = Table(title=f"Dashboard accounts ({len(accounts)})")
    for heading in ("account", "role", "body", "state", "last sign-in", "sessions", "on"):
        table.add_column(heading)
    for a in accounts:
        state = "active"
        if a.disabled_at is not None:
            state = f"disabled {_minute(a.disabled_at)}"
        elif a.locked_until is not None:
            state = f"locked until {_minute(a.locked_until)}"
        table.add_row(
            a.username,
            a.role,
            a.body or "",
            state,
            _minute(a.last_login_at) if a.last_login_at else "never",
            str(a.sessions),
            ", ".join(map(str, a.inspections)),
        )
    return table


def _minute(value: dt.datetime) -> str:
    return context.moment(value).format("YYYY-MM-DD HH:mm")
