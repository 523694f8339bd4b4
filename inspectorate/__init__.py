"""inspectorate: workflow orchestration for an inspectorate's inspection programmes."""

__version__ = "0.1.0"
