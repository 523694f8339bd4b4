"""Prefect tasks: thin wrappers that call one inspectorate function and add retries.

Importing this package first sets quiet, offline defaults for Prefect (see prefect_defaults.py)
before Prefect itself is imported.
"""

from tasks.prefect_defaults import apply_prefect_defaults

apply_prefect_defaults()
