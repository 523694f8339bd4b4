"""Server mode's runs about one inspection, found again by a tag every one of them carries.

The daily sweep drives the automatic stages; what runs per inspection on a Prefect server is
the run waiting for the body's comments, a stage's run started when its sign-off comes on or
after its day, and (in records from before the sweep was the one driver) stage runs booked
ahead, which are cancelled where found.
"""

from __future__ import annotations


def timer_tag(inspection_id: int) -> str:
    """The tag every run about an inspection carries, to find them again."""
    return f"inspection:{inspection_id}"
