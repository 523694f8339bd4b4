"""Create the PostgreSQL databases server mode needs, if they are missing (idempotent).

Usage: python deployments/create_databases.py postgresql://USER@HOST:PORT NAME [NAME ...]

The URL names no password (a command line is visible to every user of the machine): libpq
takes it from PGPASSWORD or ~/.pgpass (PGPASSFILE).
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict


def main(admin_url: str, names: list[str]) -> None:
    """Create each database in `names` that does not exist yet."""
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        for name in names:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if "password" in conninfo_to_dict(sys.argv[1]):
        sys.exit(
            "refused: the URL carries a password, which every user of this machine can read "
            "on the command line; put it in PGPASSWORD or ~/.pgpass (PGPASSFILE) instead"
        )
    main(sys.argv[1], sys.argv[2:])
