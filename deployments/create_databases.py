"""Create the PostgreSQL databases server mode needs, if they are missing (idempotent).

Usage: python deployments/create_databases.py postgresql://USER@HOST:PORT NAME [NAME ...]
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


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
    main(sys.argv[1], sys.argv[2:])
