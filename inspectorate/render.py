"""Rendering texts from jinja2 templates; a user folder can override any shipped template."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2


@lru_cache(maxsize=8)
def template_environment(
    templates_dir: Path, user_templates_dir: Path | None
) -> jinja2.Environment:
    """Return a strict environment that looks in the user folder first, then the shipped one."""
    folders = [str(p) for p in (user_templates_dir, templates_dir) if p is not None]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2", "xml.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["long_date"] = lambda d: d.strftime("%A %-d %B %Y")
    return environment


def render_email(
    environment: jinja2.Environment, names: list[str], context: dict[str, Any]
) -> tuple[str, str]:
    """Render the first template of `names` that exists; return (subject, body).

    A mail template starts with a 'Subject: ...' line, then a blank line, then the body.
    """
    template = environment.select_template(names)
    text = template.render(**context)
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise jinja2.TemplateError(f"{template.name}: the first line must be 'Subject: ...'")
    return first.removeprefix("Subject:").strip(), body.lstrip("\n")
