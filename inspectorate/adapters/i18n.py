"""Languages of the documents: English as written, Welsh from a Babel message catalogue.

The Welsh catalogue is read from its .po file when first needed (no compiled .mo to keep in
step). Entries flagged fuzzy are drafts awaiting a Welsh translator's review: they are used,
and `awaiting_review` lists them so nobody forgets.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from inspectorate.domain.errors import InvalidInput

LANGUAGES = ("en", "cy")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def check_language(lang: str) -> str:
    """Return `lang` if documents can be written in it; otherwise say which can."""
    if lang not in LANGUAGES:
        raise InvalidInput(f"language {lang!r} is not one of {', '.join(LANGUAGES)}", field="lang")
    return lang


@lru_cache(maxsize=4)
def catalogue(lang: str) -> Catalog | None:
    """Return the message catalogue of `lang` (None for English, the source language)."""
    if check_language(lang) == "en":
        return None
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        return read_po(po, locale=lang)


@lru_cache(maxsize=4)
def translations(lang: str) -> NullTranslations:
    """Return gettext translations for `lang`, fuzzy drafts included."""
    messages = catalogue(lang)
    if messages is None:
        return NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, messages, use_fuzzy=True)
    compiled.seek(0)
    return Translations(compiled)


def awaiting_review(lang: str) -> list[str]:
    """Return the source strings whose translation into `lang` still needs review."""
    messages = catalogue(lang)
    if messages is None:
        return []
    return sorted(
        str(m.id if isinstance(m.id, str) else m.id[0]) for m in messages if m.id and m.fuzzy
    )


def long_date(day: dt.date, lang: str) -> str:
    """'Friday 2 May 2014' / 'Dydd Gwener 2 Mai 2014'."""
    return _date_text(day, "EEEE d MMMM yyyy", lang)


def day_month_year(day: dt.date, lang: str) -> str:
    """'2 May 2014' / '2 Mai 2014'."""
    return _date_text(day, "d MMMM yyyy", lang)


def month_year(day: dt.date, lang: str) -> str:
    """'May 2014' / 'Mai 2014'."""
    return _date_text(day, "MMMM yyyy", lang)


def _date_text(day: dt.date, pattern: str, lang: str) -> str:
    # Only a day is remembered: equal moments in two zones can fall on different days.
    if isinstance(day, dt.date) and not isinstance(day, dt.datetime):
        return _day_text(dt.date(day.year, day.month, day.day), pattern, lang)
    return format_date(day, pattern, locale=check_language(lang))


@lru_cache(maxsize=4096)  # the same days are written into thousands of mails and letters
def _day_text(day: dt.date, pattern: str, lang: str) -> str:
    return format_date(day, pattern, locale=check_language(lang))
