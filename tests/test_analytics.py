"""Programme analytics: aggregate, lowest and highest headline scores, overall and by group."""

from __future__ import annotations

import re

import pandas as pd

from inspectorate.services.analytics import chart_svg, summarise

SCORES = pd.DataFrame(
    [
        ("Greenwich", "London", None, "safeguarding", 44.0),
        ("Camden", "London", None, "safeguarding", 90.0),
        ("Luton", "East of England", None, "safeguarding", 75.0),
        ("Greenwich", "London", None, "risk_of_harm", 42.0),
    ],
    columns=["body", "region", "family", "headline", "score"],
)


def test_overall_rows_give_aggregate_lowest_and_highest_with_bodies() -> None:
    table = summarise(SCORES, by=None)
    row = table[table["headline"] == "safeguarding"].iloc[0]
    assert (row["group"], row["inspections"], round(row["aggregate"], 2)) == ("all", 3, 69.67)
    assert (row["lowest"], row["lowest_body"]) == (44.0, "Greenwich")
    assert (row["highest"], row["highest_body"]) == (90.0, "Camden")


def test_by_region_adds_a_row_per_region_and_headline() -> None:
    table = summarise(SCORES, by="region")
    london = table[(table["group"] == "London") & (table["headline"] == "safeguarding")].iloc[0]
    assert (london["inspections"], london["aggregate"]) == (2, 67.0)
    assert list(table["group"].unique()) == ["all", "East of England", "London"]


def test_the_chart_is_an_svg_with_a_bar_per_headline() -> None:
    svg = chart_svg(summarise(SCORES, by=None), "CCI <2011>", {"safeguarding": "Safeguarding"})
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    assert "CCI &lt;2011&gt;" in svg and "Safeguarding" in svg


def test_no_scores_gives_an_empty_table() -> None:
    assert summarise(SCORES.iloc[0:0], by="region").empty


def test_by_region_the_chart_has_a_bar_per_region_and_names_wrap_not_cut() -> None:
    long_name = "Protecting the public by minimising the risk of harm to others"
    svg = chart_svg(
        summarise(SCORES, by="region"),
        "CCI by region",
        {"safeguarding": long_name, "risk_of_harm": "Risk of harm"},
    )
    assert svg.count("<rect") == 5  # safeguarding: all, East of England, London; risk: all, London
    assert ">East of England</text>" in svg and svg.count(">All inspections</text>") == 2
    words = " ".join(re.findall(r'font-weight="bold">([^<]+)<', svg))
    assert long_name in words  # every word of the name, over as many lines as it needs
