"""Benchmark: plan CCI for 158 youth offending teams over three years.

config/bodies lists the 54 YOTs that seed 004 names; the other 104 are made up here, for
this benchmark only ("Synthetic YOT 055" ...), spread over the English regions. The
baseline is the same planner on the 54 real YOTs, in the same run.

Goal (issue 6): 158 bodies planned in under 5 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspectorate.adapters.config_files import load_bodies, load_programmes  # noqa: E402
from inspectorate.domain.planning import plan_programme, violations  # noqa: E402
from inspectorate.domain.reference import BodyKind, BodyRecord  # noqa: E402

REGIONS = (
    "London",
    "South East",
    "East of England",
    "East Midlands",
    "West Midlands",
    "South West",
    "North West",
    "North East",
    "Yorkshire and the Humber",
)


def youth_offending_teams(total: int) -> list[BodyRecord]:
    """The configured YOTs plus synthetic ones up to `total`."""
    real = [b for b in load_bodies(ROOT / "config" / "bodies") if b.kind is BodyKind.YOT]
    extra = [
        BodyRecord(f"Synthetic YOT {n:03d}", BodyKind.YOT, REGIONS[n % len(REGIONS)], False)
        for n in range(len(real) + 1, total + 1)
    ]
    return real + extra


def timed(bodies: list[BodyRecord]) -> tuple[float, int, int]:
    """Median seconds of three plans, and how many were placed / left out."""
    programme = load_programmes(ROOT / "config" / "programmes")["cci"]
    assert programme.planning is not None
    start = __import__("datetime").date(2009, 4, 1)
    seconds = []
    for _ in range(3):
        began = time.perf_counter()
        plan = plan_programme(programme, programme.planning, bodies, start)
        seconds.append(time.perf_counter() - began)
    assert violations(plan, programme, programme.planning, start) == []
    return statistics.median(seconds), len(plan.placements), len(plan.unplaced)


def main() -> None:
    """Print both timings and the ratio."""
    base, base_placed, _ = timed(youth_offending_teams(54))
    full, placed, unplaced = timed(youth_offending_teams(158))
    print("planning CCI over three years (2009/10-2011/12), no constraint violated")
    print(f"  54 named YOTs (baseline):  {base:.3f} s, {base_placed} placed")
    print(f"  158 YOTs:                  {full:.3f} s, {placed} placed, {unplaced} not placed")
    print(f"  ratio:                     {full / base:.2f}x for {158 / 54:.2f}x the bodies")
    print(f"  goal: under 5 s ({'met' if full < 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
