"""The Welsh catalogue covers every translatable string; drafts are flagged for review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from inspectorate.adapters import i18n
from inspectorate.domain.errors import InvalidInput

ROOT = Path(__file__).resolve().parent.parent


def extracted_messages() -> set[str]:
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open())
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_translatable_string_has_a_welsh_entry() -> None:
    catalogue = i18n.catalogue("cy")
    assert catalogue is not None
    welsh = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and m.string}
    missing = extracted_messages() - welsh
    assert not missing, f"add these to inspectorate/locale/cy/LC_MESSAGES/messages.po: {missing}"


def test_drafts_are_listed_for_a_translators_review_and_english_needs_none() -> None:
    pending = i18n.awaiting_review("cy")
    assert "DRAFT — NOT FOR PUBLICATION" in pending
    assert i18n.awaiting_review("en") == []


def test_welsh_plural_forms_and_dates() -> None:
    translations = i18n.translations("cy")
    one = translations.ngettext(
        "in %(sufficient)s out of the %(num)d relevant case (%(share)s%%).",
        "in %(sufficient)s out of the %(num)d relevant cases (%(share)s%%).",
        18,
    )
    assert one.startswith("mewn %(sufficient)s o'r %(num)d achos")
    assert i18n.month_year(dt.date(2014, 5, 2), "cy") == "Mai 2014"
    assert i18n.long_date(dt.date(2014, 5, 2), "en") == "Friday 2 May 2014"


def test_one_instant_is_written_as_the_day_it_is_in_its_own_zone() -> None:
    london = pendulum.datetime(2014, 5, 3, 0, 30, tz="Europe/London")
    utc = london.in_timezone("UTC")  # equal to `london`, and hashed alike
    assert i18n.long_date(utc, "en") == "Friday 2 May 2014"
    assert i18n.long_date(london, "en") == "Saturday 3 May 2014"
    assert i18n.day_month_year(pendulum.date(2014, 5, 3), "en") == "3 May 2014"
    assert i18n.day_month_year(london, "cy") == "3 Mai 2014"


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="language 'fr' is not one of en, cy"):
        i18n.check_language("fr")
