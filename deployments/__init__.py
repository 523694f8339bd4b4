"""Server-mode files: prefect.yaml, database creation, and helpers to run it locally."""
