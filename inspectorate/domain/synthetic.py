"""Seeded synthetic caseloads and fieldwork judgements, for the demo, simulations and tests.

Nothing here is real data: the proportions are plausible for probation caseloads of the
period, and each body has a tunable quality level (the chance that applicable work is
judged sufficient).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import numpy as np
import pandas as pd

from inspectorate.domain.frameworks import Framework

CASE_TYPES = (
    ("community order", 0.5),
    ("suspended sentence order", 0.25),
    ("post-custody licence", 0.25),
)
ROSH = (("low", 0.35), ("medium", 0.45), ("high", 0.17), ("very high", 0.03))
GENDER = (("Male", 0.85), ("Female", 0.15))
ETHNICITY = (("White", 0.82), ("Black", 0.07), ("Asian", 0.06), ("Mixed", 0.04), ("Other", 0.01))
AGE_BAND = (("18-20", 0.12), ("21-24", 0.18), ("25-49", 0.6), ("50+", 0.1))
OFFENCES = (
    ("violence against the person", 0.27),
    ("burglary", 0.2),
    ("theft and handling", 0.17),
    ("drug offences", 0.12),
    ("motoring", 0.1),
    ("sexual offences", 0.04),
    ("other", 0.1),
)


def _stable_seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


def _draw(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels, weights = zip(*table, strict=True)
    return rng.choice(labels, n, p=np.array(weights) / sum(weights))


# Bodies whose real results the seeds give: North Lincolnshire YOT's original CCI scored
# 37%, 36% and 43% (seed 004 l.1416-1420).
KNOWN_QUALITY = {"North Lincolnshire": 0.38}


def quality_of(body: str, low: float = 0.45, high: float = 0.9) -> float:
    """Return a body's quality level: as the seeds report it, else stable per name."""
    if body in KNOWN_QUALITY:
        return KNOWN_QUALITY[body]
    return low + (high - low) * (_stable_seed("quality", body) % 1000) / 999


def caseload(body: str, size: int, as_of: dt.date, seed: int) -> pd.DataFrame:
    """Return a caseload extract of `size` cases that started in the two years to `as_of`."""
    rng = np.random.default_rng(_stable_seed("caseload", body, seed))
    prefix = re.sub(r"[^A-Z]", "", body.upper())[:4] or "BODY"
    days = rng.integers(0, 730, size)
    return pd.DataFrame(
        {
            "case_id": [f"{prefix}-{n:05d}" for n in range(1, size + 1)],
            "case_type": _draw(rng, CASE_TYPES, size),
            "start_date": [as_of - dt.timedelta(days=int(d)) for d in days],
            "rosh": _draw(rng, ROSH, size),
            "gender": _draw(rng, GENDER, size),
            "ethnicity": _draw(rng, ETHNICITY, size),
            "age_band": _draw(rng, AGE_BAND, size),
            "principal_offence": _draw(rng, OFFENCES, size),
        }
    )


def judgements(
    cases: pd.DataFrame, framework: Framework, quality: float, seed: int
) -> pd.DataFrame:
    """Return one judgement per sampled case and question of the framework.

    About one in six is not applicable; each question is a little easier or harder than
    the body's quality level, and high risk of harm cases a little harder still.
    """
    rng = np.random.default_rng(_stable_seed("judgements", framework.code, seed, len(cases)))
    questions = [q.id for q in framework.questions]
    n_cases, n_questions = len(cases), len(questions)
    difficulty = rng.normal(0.0, 0.08, n_questions)
    harder = np.where(cases["rosh"].isin(["high", "very high"]).to_numpy(), -0.05, 0.0)
    chance = np.clip(quality + difficulty[None, :] + harder[:, None], 0.02, 0.98)
    applicable = rng.random((n_cases, n_questions)) >= 0.16
    sufficient = rng.random((n_cases, n_questions)) < chance
    verdict = np.where(
        applicable, np.where(sufficient, "sufficient", "insufficient"), "not_applicable"
    )
    frame = pd.DataFrame(
        {
            "case_id": np.repeat(cases["case_id"].to_numpy(), n_questions),
            "question_id": np.tile(questions, n_cases),
            "judgement": verdict.ravel(),
        }
    )
    assessor = (
        cases["allocated_to"] if "allocated_to" in cases else pd.Series(["inspector"] * n_cases)
    )
    frame["assessor"] = np.repeat(assessor.to_numpy(), n_questions)
    for column in ("gender", "ethnicity", "age_band", "rosh"):
        frame[column] = np.repeat(cases[column].to_numpy(), n_questions)
    return frame


def team_text(outcomes: list[tuple[str, str]], headline_scores: dict[str, float]) -> str:
    """Simulation only: the team's text (TOML) a scripted team writes from its scores.

    `outcomes` are (id, name) pairs in report order; each gets a strength and an area for
    improvement drawn from its headline score, so a simulated report has no gaps.
    """
    lines = []
    for outcome_id, name in outcomes:
        score = headline_scores.get(outcome_id)
        subject = name[:1].lower() + name[1:]
        if score is None:
            strength = f"Staff understood what {subject} required of them."
            improvement = f"Record the work on {subject} so that it can be assessed."
        else:
            strength = f"The work on {subject} was sufficient in {score:.0f}% of the cases read."
            improvement = (
                f"Make the work on {subject} consistent: it fell short in {100 - score:.0f}% "
                "of the cases read."
                if score < 80
                else f"Keep the standard of the work on {subject} across every office."
            )
        lines += [
            f"[outcomes.{outcome_id}]",
            f"strengths = {json.dumps([strength])}",
            f"improvements = {json.dumps([improvement])}",
            "",
        ]
    # Recommendations for the two weakest outcomes (TOML wants them before the tables).
    weakest = sorted(outcomes, key=lambda pair: headline_scores.get(pair[0], 100.0))[:2]
    recommendations = [
        f"Improve the quality of the work on {name[:1].lower() + name[1:]}, so that it is "
        "sufficient in at least four cases in five."
        for _, name in weakest
    ]
    return "\n".join([f"recommendations = {json.dumps(recommendations)}", "", *lines])
