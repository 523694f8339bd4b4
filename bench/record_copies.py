"""A large record for the dashboard benchmark: a simulated one, copied until it is big enough.

The CCI simulation (55 inspections, 2009-2013, every stage taken by the real code) is the
seed. Each copy gives every body a new name in the same region and copies every row that
belongs to its inspections with new ids: milestones, reminders, audit events, samples,
scores, report texts, documents (pointing at the seed's files), sign-offs, owed effects,
distribution and comments, on the same dates. So a record of 10,000 inspections is 180
programmes' worth of YOTs inspected in the same years, each with a real history; the last
copy is cut to reach the size exactly (parents come before their reinspections).
Fieldwork judgements are left out: no dashboard page reads them (reports use the stored
scores), and at ~700 an inspection they would be seven million rows to write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, text

from inspectorate.adapters.database import get_engine
from inspectorate.adapters.models import SQLModel

# Tables copied (in the order their keys need), and the key each of their columns follows.
COPIED = (
    "body",
    "inspection",
    "milestone",
    "reminder",
    "reportversion",
    "auditevent",
    "sampledcase",
    "score",
    "reporttext",
    "signoff",
    "owedeffect",
    "distribution",
    "draftcomment",
)
KEYS = {
    "body_id": "body",
    "inspection_id": "inspection",
    "parent_id": "inspection",
    "milestone_id": "milestone",
}
# An audit event's entity_id names a row of the table its entity says.
ENTITY_TABLES = {
    "body": "body",
    "inspection": "inspection",
    "judgements": "inspection",
    "sample": "inspection",
    "scores": "inspection",
    "milestone": "milestone",
    "reminder": "reminder",
    "report": "reportversion",
}
BATCH = 20_000


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def grow(url: str, inspections: int) -> int:
    """Copy the record's inspections (and all that is theirs) until it holds `inspections`."""
    engine = get_engine(url)
    with engine.begin() as connection:
        seed = {
            n: [dict(r) for r in connection.execute(select(_table(n))).mappings()] for n in COPIED
        }
        span = {
            n: connection.execute(select(func.max(_table(n).c.id))).scalar() or 0 for n in COPIED
        }
        have = len(seed["inspection"])
        copy = 0
        while have < inspections:
            copy += 1
            kept = sorted(i["id"] for i in seed["inspection"])[: inspections - have]
            for name in COPIED:
                rows = [_copied(name, row, copy, span) for row in _of(name, seed, set(kept))]
                for start in range(0, len(rows), BATCH):
                    connection.execute(_table(name).insert(), rows[start : start + BATCH])
            have += len(kept)
    return have


def _of(name: str, seed: dict[str, list[dict[str, Any]]], kept: set[int]) -> list[dict[str, Any]]:
    """The seed's rows of `name` that belong to the kept inspections."""
    rows = seed[name]
    if name == "body":
        bodies = {i["body_id"] for i in seed["inspection"] if i["id"] in kept}
        return [b for b in rows if b["id"] in bodies]
    if name == "inspection":
        return [r for r in rows if r["id"] in kept]
    if name == "reminder":
        milestones = {m["id"] for m in seed["milestone"] if m["inspection_id"] in kept}
        return [r for r in rows if r["milestone_id"] in milestones]
    return [r for r in rows if r["inspection_id"] in kept]


def _copied(name: str, row: dict[str, Any], copy: int, span: dict[str, int]) -> dict[str, Any]:
    """The row of copy number `copy`: new ids, the keys it holds moved alike."""
    new = dict(row)
    new["id"] = row["id"] + copy * span[name]
    for column, table in KEYS.items():
        if new.get(column) is not None:
            new[column] = row[column] + copy * span[table]
    if name == "body":
        new["name"] = f"{row['name']} {copy:03d}"
    if name == "auditevent" and row["entity"] in ENTITY_TABLES:
        new["entity_id"] = row["entity_id"] + copy * span[ENTITY_TABLES[row["entity"]]]
    return new


def copy_record(source: str, target: str) -> None:
    """Every row of the record at `source` into the empty schema at `target` (same revision)."""
    with get_engine(source).connect() as reading, get_engine(target).begin() as writing:
        for table in SQLModel.metadata.sorted_tables:
            rows = [dict(r) for r in reading.execute(select(table)).mappings()]
            for start in range(0, len(rows), BATCH):
                writing.execute(table.insert(), rows[start : start + BATCH])


def after_bulk_load(url: str) -> None:
    """On PostgreSQL: move each id sequence past the rows written with their ids, and VACUUM
    ANALYZE as autovacuum would on a record this size (index-only scans need the former)."""
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in SQLModel.metadata.sorted_tables:
            if "id" in table.c:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )
        connection.execute(text("VACUUM ANALYZE"))
