"""Prefect flows: each reads top to bottom like the lifecycle stage it runs."""

import tasks  # noqa: F401  (sets Prefect's offline defaults before prefect is imported)
