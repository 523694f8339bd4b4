"""Trigger rules: which inspections call for a reinspection or follow-up, and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inspectorate.adapters.config_files import load_frameworks, load_programmes, load_rules
from inspectorate.domain.errors import ConfigError, InvalidInput
from inspectorate.domain.triggers import TriggerRule, evaluate

TRIGGERS = Path(__file__).resolve().parent.parent / "config" / "triggers"
D = dt.date


def rule(**overrides: object) -> TriggerRule:
    base: dict[str, object] = {
        "name": "low",
        "kind": "reinspection",
        "scores": ["a", "b"],
        "below": 50.0,
        "due_after": "12 months",
        "window": "2 months",
    }
    return TriggerRule.model_validate({**base, **overrides})


def test_any_fires_when_one_score_is_strictly_below() -> None:
    assert evaluate([rule()], {"a": 49.9, "b": 90}, D(2011, 6, 1)).due
    assert not evaluate([rule()], {"a": 50.0, "b": 90}, D(2011, 6, 1)).due


def test_all_needs_every_score_below() -> None:
    assert not evaluate([rule(when="all")], {"a": 10, "b": 50}, D(2011, 6, 1)).due
    assert evaluate([rule(when="all")], {"a": 10, "b": 49}, D(2011, 6, 1)).due


def test_due_date_and_window_follow_publication() -> None:
    decision = evaluate([rule()], {"a": 1, "b": 1}, D(2011, 1, 31))
    assert decision.due_date == D(2012, 1, 31)
    assert (decision.window_start, decision.window_end) == (D(2011, 11, 30), D(2012, 3, 31))
    assert decision.kind == "reinspection" and "a 1, b 1: below 50" in decision.reason


@pytest.mark.parametrize(
    ("published", "applies"),
    [
        (D(2002, 5, 31), False),
        (D(2002, 6, 1), True),
        (D(2003, 5, 31), True),
        (D(2003, 6, 1), False),
    ],
)
def test_rule_dates_are_inclusive_at_both_ends(published: dt.date, applies: bool) -> None:
    windowed = rule(effective_from="2002-06-01", effective_until="2003-05-31")
    assert evaluate([windowed], {"a": 1, "b": 1}, published).due is applies


def test_the_first_rule_that_fires_wins() -> None:
    rules = [rule(name="first", below=20.0), rule(name="second", kind="follow_up")]
    decision = evaluate(rules, {"a": 30, "b": 30}, D(2011, 1, 1))
    assert decision.rule is not None and decision.rule.name == "second"


def test_a_missing_score_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="rule 'low' needs score\\(s\\) b"):
        evaluate([rule()], {"a": 10}, D(2011, 1, 1))


def test_north_lincolnshire_is_reinspected_and_greenwich_is_not() -> None:
    rules = load_rules(TRIGGERS / "cci.toml")
    north_lincs = {"safeguarding": 37, "risk_of_harm": 36, "likelihood_of_reoffending": 43}
    greenwich = {"safeguarding": 44, "risk_of_harm": 42, "likelihood_of_reoffending": 56}
    assert evaluate(rules, north_lincs, D(2011, 3, 1)).due
    assert not evaluate(rules, greenwich, D(2011, 9, 1)).due


# Seed 002 §2.26: audits, their IQR and whether a follow-up audit was published.
AUDITS = [
    ("Cambridgeshire", 59, D(2003, 5, 1), False),
    ("Devon & Cornwall", 45, D(2002, 7, 1), True),
    ("County Durham", 71, D(2003, 5, 1), False),
    ("Dyfed-Powys", 47, D(2003, 1, 1), True),
    ("Essex", 68, D(2003, 4, 1), False),
    ("Hampshire", 70, D(2002, 3, 1), True),
    ("Hertfordshire", 51, D(2003, 6, 1), False),
    ("Kent", 53, D(2002, 2, 1), True),
    ("London", 40, D(2002, 9, 1), True),
    ("Norfolk", 69, D(2003, 6, 1), False),
    ("North Wales", 40, D(2002, 11, 1), True),
    ("North Yorkshire", 60, D(2002, 1, 1), True),
    ("Northumbria", 92, D(2003, 4, 1), False),
    ("South Wales", 42, D(2002, 9, 1), True),
    ("Staffordshire", 47, D(2003, 4, 1), True),
    ("Suffolk", 66, D(2003, 7, 1), False),
    ("Surrey", 55, D(2002, 3, 1), True),
    ("Thames Valley", 39, D(2002, 3, 1), True),
    ("West Midlands", 42, D(2003, 3, 1), True),
    ("West Yorkshire", 58, D(2002, 1, 1), True),
]


@pytest.mark.parametrize(
    ("area", "iqr", "published", "followed_up"), AUDITS, ids=[a[0] for a in AUDITS]
)
def test_the_june_2002_iqr_rule_matches_the_audits_of_seed_002(
    area: str, iqr: int, published: dt.date, followed_up: bool
) -> None:
    assert evaluate(load_rules(TRIGGERS / "apa.toml"), {"iqr": iqr}, published).due is followed_up


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[trigger]]\nname = "x"\nkind = "reinspection"\ndue_after = "12 months"\ncolour = 1\n',
            "colour",
        ),
        (
            '[[trigger]]\nname = "x"\nkind = "reinspection"\ndue_after = "12 months"\n'
            'effective_from = "June 2002"\n',
            "effective_from",
        ),
        ('[[trigger]]\nname = "x"\nkind = "inspection"\ndue_after = "12 months"\n', "kind"),
        (
            '[[trigger]]\nname = "x"\nkind = "reinspection"\ndue_after = "a year"\n',
            "not a span like",
        ),
        (
            '[[trigger]]\nname = "x"\nkind = "reinspection"\ndue_after = "1 year"\nbelow = 50\n',
            "needs the 'scores'",
        ),
        (
            '[[trigger]]\nname = "x"\nkind = "reinspection"\ndue_after = "1 year"\n'
            "effective_from = 2003-01-01\neffective_until = 2002-01-01\n",
            "before effective_from",
        ),
        ("[[trigger]\n", "cannot read trigger rules"),
        ('[[rule]]\nname = "x"\n', "unknown key(s) rule"),
        ('programme = "cci"\n', "no [[trigger]] rules"),
    ],
)
def test_malformed_rule_files_give_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_rules(write(tmp_path, text))
    assert message in str(raised.value)


def test_a_rule_naming_a_score_the_programme_does_not_produce(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="names score\\(s\\) courage, which the programme"):
        load_rules(
            write(
                tmp_path,
                '[[trigger]]\nname = "x"\nkind = "follow_up"\n'
                'scores = ["courage"]\nbelow = 50\ndue_after = "1 year"\n',
            ),
            produces={"safeguarding"},
        )


def test_shipped_rule_files_name_only_scores_their_programmes_produce() -> None:

    config = TRIGGERS.parent
    programmes = load_programmes(config / "programmes")
    frameworks = load_frameworks(config / "frameworks")
    for path in TRIGGERS.glob("*.toml"):
        sampling = programmes[path.stem].sampling
        assert sampling is not None
        produces = {h.id for h in frameworks[sampling.framework].headlines}
        assert load_rules(path, produces=produces)
