"""Selecting the case sample from a body's caseload extract: eligible, stratified, seeded."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.sampling_rules import SamplingRule

ROSH_LEVELS = ("low", "medium", "high", "very high")
HIGH_ROSH = ("high", "very high")
REPRESENTED = ("gender", "ethnicity", "age_band", "rosh")


@dataclass(frozen=True)
class Sample:
    """A selected sample with its allocation and how it compares with the caseload."""

    cases: pd.DataFrame  # the caseload columns plus allocated_to
    representativeness: pd.DataFrame  # dimension, group, caseload_pct, sample_pct, difference
    caseload_size: int
    eligible: int
    target: int
    warnings: list[str] = field(default_factory=list)


def eligible_cases(
    caseload: pd.DataFrame, rule: SamplingRule, fieldwork_start: dt.date
) -> pd.DataFrame:
    """Cases supervised for the configured window of months at fieldwork, of sampled types."""
    shortest, longest = rule.supervised_months
    start = pd.Timestamp(fieldwork_start)
    earliest = (start - pd.DateOffset(months=longest)).date()
    latest = (start - pd.DateOffset(months=shortest)).date()
    keep = (caseload["start_date"] >= earliest) & (caseload["start_date"] <= latest)
    if rule.case_types:
        keep &= caseload["case_type"].str.lower().isin([t.lower() for t in rule.case_types])
    return caseload[keep].sort_values("case_id").reset_index(drop=True)


def _none_eligible(caseload: pd.DataFrame, rule: SamplingRule, fieldwork_start: dt.date) -> str:
    shortest, longest = rule.supervised_months
    start = pd.Timestamp(fieldwork_start)
    earliest = (start - pd.DateOffset(months=longest)).date()
    latest = (start - pd.DateOffset(months=shortest)).date()
    types = f" of type {', '.join(rule.case_types)}" if rule.case_types else ""
    dates = pd.Series(caseload["start_date"]).dropna()
    span = f"; this extract's cases started {dates.min()} to {dates.max()}" if len(dates) else ""
    return (
        f"no case in this caseload is eligible for fieldwork on {fieldwork_start}: the sample "
        f"takes cases{types} that started {earliest} to {latest}{span}; use an extract taken "
        "shortly before the fieldwork"
    )


def _proportional(strata: pd.Series, total: int) -> dict[str, int]:
    """Largest-remainder allocation of `total` across strata in proportion to their sizes."""
    counts = strata.value_counts().sort_index()
    exact = counts / counts.sum() * total
    allocation = np.floor(exact).astype(int)
    remainder = (exact - allocation).sort_values(ascending=False, kind="stable")
    for stratum in remainder.index[: total - int(allocation.sum())]:
        allocation[stratum] += 1
    return {str(k): int(min(v, counts[k])) for k, v in allocation.items()}


def _stratified(pool: pd.DataFrame, total: int, rng: np.random.Generator) -> pd.DataFrame:
    if total <= 0 or pool.empty:
        return pool.iloc[0:0]
    if total >= len(pool):
        return pool
    case_types = pool["case_type"].to_numpy()
    chosen = []
    for stratum, quota in _proportional(pool["case_type"], total).items():
        members = np.flatnonzero(case_types == stratum)  # positions, in the pool's order
        chosen.append(members[np.sort(rng.choice(len(members), quota, replace=False))])
    return pool.iloc[np.concatenate(chosen)]


def _shares(column: pd.Series) -> dict[object, float]:
    """Each group's percentage of the values that are present, commonest first.

    As pandas' `value_counts(normalize=True) * 100` gives them (ties in order of first
    appearance, missing values left out), without its cost on a sample's few hundred rows.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):  # its unused categories listed at 0 %
        return dict((column.value_counts(normalize=True) * 100).fillna(0.0).items())
    counts = Counter(column.dropna().tolist())
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda item: -item[1])  # stable: first seen first
    return {group: count / total * 100 for group, count in ordered}


def representativeness(caseload: pd.DataFrame, sample: pd.DataFrame, margin: float) -> pd.DataFrame:
    """Share of each group in the caseload and in the sample, and the gap in points."""
    rows = []
    for dimension in REPRESENTED:
        population = _shares(caseload[dimension])
        chosen = _shares(sample[dimension])
        for group in [*population, *(g for g in chosen if g not in population)]:
            there, here = population.get(group, 0.0), chosen.get(group, 0.0)
            difference = here - there
            rows.append((dimension, group, there, here, difference, abs(difference) > margin))
    columns = ["dimension", "group", "caseload_pct", "sample_pct", "difference", "warning"]
    return pd.DataFrame(rows, columns=columns)


def select_sample(
    caseload: pd.DataFrame, rule: SamplingRule, fieldwork_start: dt.date, seed: int
) -> Sample:
    """Select the sample: the high-RoSH quota first, the rest stratified by case type.

    The same caseload, rule, date and seed always give the same sample, whatever the order
    of the rows in the extract.
    """
    rng = np.random.default_rng(seed)
    pool = eligible_cases(caseload, rule, fieldwork_start)
    if pool.empty:
        raise InvalidInput(_none_eligible(caseload, rule, fieldwork_start), field="caseload")
    target = rule.size_for(len(caseload))
    warnings = []
    high = pool[pool["rosh"].isin(HIGH_ROSH)]
    quota = min(rule.high_rosh_quota, len(high), target)
    if quota < rule.high_rosh_quota:
        warnings.append(
            f"only {len(high)} eligible high risk of harm cases for a quota of "
            f"{rule.high_rosh_quota}"
        )
    first = _stratified(high, quota, rng)
    rest = _stratified(pool.drop(first.index), target - len(first), rng)
    chosen = pd.concat([first, rest]).sort_values("case_id").reset_index(drop=True)
    if len(chosen) < target:
        warnings.append(f"only {len(pool)} cases were eligible for a sample of {target}")
    local = rng.permutation(len(chosen))[: round(len(chosen) * rule.local_assessor_share)]
    chosen["allocated_to"] = "inspector"
    chosen.loc[local, "allocated_to"] = "local_assessor"
    table = representativeness(caseload, chosen, rule.representativeness_margin)
    for row in table[table["warning"]].itertuples():
        warnings.append(
            f"{row.dimension} {row.group}: {row.sample_pct:.0f}% of the sample "
            f"against {row.caseload_pct:.0f}% of the caseload"
        )
    return Sample(chosen, table, len(caseload), len(pool), target, warnings)
