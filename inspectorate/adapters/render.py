"""Rendering texts from jinja2 templates; a user folder can override any shipped template."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from inspectorate.adapters import i18n


@lru_cache(maxsize=16)
def template_environment(
    templates_dir: Path, user_templates_dir: Path | None, lang: str = "en"
) -> jinja2.Environment:
    """Return a strict environment for `lang` that looks in the user folder first."""
    folders = [str(p) for p in (user_templates_dir, templates_dir) if p is not None]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2", "xml.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle gettext escapes its arguments and formats %(name)s itself, so it is safe.
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.translations(lang), newstyle=True
    )
    environment.globals["lang"] = lang
    # Data in catalogued words (a sample's 'very high'): translated, yet escaped like data,
    # unlike _() whose result jinja2 trusts as the translator's markup.
    environment.filters["translated"] = i18n.translations(lang).gettext
    environment.filters["long_date"] = lambda d: i18n.long_date(d, lang)
    environment.filters["day_month_year"] = lambda d: i18n.day_month_year(d, lang)
    environment.filters["month_year"] = lambda d: i18n.month_year(d, lang)
    environment.filters["day"] = lambda value: readable_day(value, lang)
    return environment


def readable_day(value: object, lang: str) -> str:
    """'10 February 2014' for a day or its ISO text; '10 February 2014, 06:00' with a time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return f"{i18n.day_month_year(value.date(), lang)}, {value:%H:%M}"
    if isinstance(value, dt.date):
        return i18n.day_month_year(value, lang)
    text = str(value)
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return text  # not a date: shown as it is
    time = text[11:16]
    return f"{i18n.day_month_year(day, lang)}, {time}" if time else i18n.day_month_year(day, lang)


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
