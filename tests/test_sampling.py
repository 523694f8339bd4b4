"""Sample selection: eligible, sized, stratified, seeded, allocated, and compared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inspectorate.adapters.caseloads import read_caseload
from inspectorate.adapters.config_files import load_programmes
from inspectorate.domain.errors import InvalidFile
from inspectorate.domain.sampling import (
    REPRESENTED,
    SamplingRule,
    representativeness,
    select_sample,
)
from inspectorate.domain.synthetic import caseload

PROGRAMMES = load_programmes(Path(__file__).resolve().parent.parent / "config" / "programmes")
IAOW = PROGRAMMES["iaow"].sampling
ESI = PROGRAMMES["esi"].sampling
FIELDWORK = dt.date(2014, 2, 10)
assert IAOW is not None and ESI is not None


def test_the_same_seed_gives_the_same_sample_whatever_the_row_order() -> None:
    extract = caseload("Durham Tees Valley", 1500, FIELDWORK, seed=1)
    first = select_sample(extract, IAOW, FIELDWORK, seed=7).cases
    shuffled = extract.sample(frac=1.0, random_state=3)
    again = select_sample(shuffled, IAOW, FIELDWORK, seed=7).cases
    pd.testing.assert_frame_equal(first, again)
    other = select_sample(extract, IAOW, FIELDWORK, seed=8).cases
    assert set(other["case_id"]) != set(first["case_id"])


def test_only_cases_supervised_about_nine_months_are_eligible() -> None:
    extract = caseload("London", 2000, FIELDWORK, seed=2)
    sample = select_sample(extract, IAOW, FIELDWORK, seed=1).cases
    months = (pd.Timestamp(FIELDWORK) - pd.to_datetime(sample["start_date"])).dt.days / 30.44
    assert months.between(7.9, 10.1).all()


@pytest.mark.parametrize(("size", "expected"), [(500, 50), (1500, 60), (3000, 80), (5000, 90)])
def test_iaow_sample_size_grows_with_the_caseload(size: int, expected: int) -> None:
    assert IAOW.size_for(size) == expected


def test_strata_are_in_proportion_to_case_types() -> None:
    extract = caseload("Kent", 4000, FIELDWORK, seed=4)
    result = select_sample(extract, IAOW, FIELDWORK, seed=1)
    eligible = result.eligible
    assert len(result.cases) == result.target == 90 and eligible > 90
    shares = result.cases["case_type"].value_counts(normalize=True)
    assert abs(shares["community order"] - 0.5) < 0.1


def test_esi_takes_twenty_high_risk_of_harm_cases_first() -> None:
    extract = caseload("West Midlands", 9000, FIELDWORK, seed=5)
    result = select_sample(extract, ESI, FIELDWORK, seed=1)
    assert len(result.cases) == 120
    assert result.cases["rosh"].isin(["high", "very high"]).sum() >= 20


def test_about_a_third_go_to_local_assessors() -> None:
    extract = caseload("Kent", 4000, FIELDWORK, seed=4)
    cases = select_sample(extract, IAOW, FIELDWORK, seed=1).cases
    assert (cases["allocated_to"] == "local_assessor").sum() == 30


def test_too_few_eligible_cases_is_a_warning_not_an_error() -> None:
    extract = caseload("Tiny", 100, FIELDWORK, seed=4)
    result = select_sample(extract, IAOW, FIELDWORK, seed=1)
    assert len(result.cases) == result.eligible < 50
    assert any("were eligible for a sample of 50" in w for w in result.warnings)


def test_representativeness_warns_when_a_group_is_off_by_more_than_the_margin() -> None:
    extract = caseload("Kent", 4000, FIELDWORK, seed=4)
    # Make every eligible case male: the sample cannot match the caseload's women.
    rule = SamplingRule.model_validate({**IAOW.model_dump(), "representativeness_margin": 5.0})
    eligible_window = pd.to_datetime(extract["start_date"]) >= pd.Timestamp("2013-04-10")
    extract.loc[eligible_window, "gender"] = "Male"
    result = select_sample(extract, rule, FIELDWORK, seed=1)
    row = result.representativeness.query("dimension == 'gender' and group == 'Male'").iloc[0]
    assert row.sample_pct == 100.0 and row.warning
    assert any(w.startswith("gender Male: 100% of the sample") for w in result.warnings)


def representativeness_by_pandas(
    caseload: pd.DataFrame, sample: pd.DataFrame, margin: float
) -> pd.DataFrame:
    """The table as pandas' own value_counts gives it: the reference for the fast one."""
    frames = []
    for dimension in REPRESENTED:
        population = caseload[dimension].value_counts(normalize=True) * 100
        chosen = sample[dimension].value_counts(normalize=True) * 100
        table = pd.concat(
            [population.rename("caseload_pct"), chosen.rename("sample_pct")], axis=1
        ).fillna(0.0)
        table.index.name = "group"
        frames.append(table.reset_index().assign(dimension=dimension))
    result = pd.concat(frames, ignore_index=True)
    result["difference"] = result["sample_pct"] - result["caseload_pct"]
    result["warning"] = result["difference"].abs() > margin
    return result[["dimension", "group", "caseload_pct", "sample_pct", "difference", "warning"]]


@pytest.mark.parametrize("seed", range(40))
def test_representativeness_equals_pandas_value_counts_ties_and_gaps_included(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 80))
    # Few groups and few rows make ties; None and NaN are missing values, counted nowhere.
    choices = ["a", "b", "c", "d", None, np.nan]
    extract = pd.DataFrame(
        {d: rng.choice(np.array(choices, dtype=object), size) for d in REPRESENTED}
    )
    extract = extract.astype("str").where(extract.notna(), None)
    # Other ways a caseload's columns can come: nullable strings (pd.NA) and categories.
    extract["ethnicity"] = extract["ethnicity"].astype("string")
    extract["rosh"] = extract["rosh"].astype(pd.CategoricalDtype(["d", "c", "b", "a", "e"]))
    sample = extract.iloc[rng.permutation(size)[: int(rng.integers(1, size + 1))]]
    ours = representativeness(extract, sample, margin=10.0)
    expected = representativeness_by_pandas(extract, sample, margin=10.0)
    assert ours["group"].tolist() == expected["group"].tolist()
    pd.testing.assert_frame_equal(
        ours.drop(columns="group"), expected.drop(columns="group"), check_dtype=False
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "caseload.csv"
    path.write_text(text)
    return path


HEADER = "case_id,case_type,start_date,rosh,gender,ethnicity,age_band,principal_offence\n"


def test_a_caseload_file_round_trips(tmp_path: Path) -> None:
    extract = caseload("Kent", 50, FIELDWORK, seed=4)
    path = tmp_path / "kent.csv"
    extract.to_csv(path, index=False)
    pd.testing.assert_frame_equal(read_caseload(path), extract.astype({"start_date": object}))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "c1,community order,2013-13-01,low,Male,White,25-49,theft\n",
            "row 2, column start_date: '2013-13-01' is not a date",
        ),
        (
            "c1,community order,2013-05-01,extreme,Male,White,25-49,theft\n",
            "row 2, column rosh: 'extreme' is not one of low, medium, high, very high",
        ),
        (
            "c1,community order,2013-05-01,low,Male,White,25-49,theft\n"
            "c1,community order,2013-05-01,low,Male,White,25-49,theft\n",
            "row 3, column case_id: case 'c1' is listed twice",
        ),
        (",community order,2013-05-01,low,Male,White,25-49,theft\n", "row 2, column case_id"),
        ("c1,,2013-05-01,low,Male,White,25-49,theft\n", "row 2, column case_type: empty"),
    ],
)
def test_bad_caseload_rows_are_refused(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(InvalidFile, match=message):
        read_caseload(write(tmp_path, HEADER + rows))


def test_a_caseload_missing_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="missing column"):
        read_caseload(write(tmp_path, "case_id,case_type\nc1,community order\n"))
