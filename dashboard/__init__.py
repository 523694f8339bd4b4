"""The web dashboard: FastAPI pages and JSON API over the same operations and flows as the CLI."""
