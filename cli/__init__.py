"""The `inspectorate` command line: an entry point over flows and services."""
