"""Comparing a follow-up with the original: per criterion, the change and its significance."""

from __future__ import annotations

from dataclasses import dataclass

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class CriterionCount:
    """Sufficient out of applicable judgements for one criterion."""

    sufficient: int
    applicable: int

    @property
    def percent(self) -> float:
        """The score, in percent."""
        return 100.0 * self.sufficient / self.applicable


@dataclass(frozen=True)
class Change:
    """One criterion before and after, and whether the change is statistically significant."""

    criterion: str
    original: float
    follow_up: float
    change: float
    p_value: float
    significant: bool


def compare(
    original: dict[str, CriterionCount], follow_up: dict[str, CriterionCount]
) -> list[Change]:
    """Compare the criteria both inspections scored (Fisher's exact test, two-sided)."""
    from scipy.stats import fisher_exact  # a second to import: only the follow-up needs it

    changes = []
    for criterion in sorted(set(original) & set(follow_up)):
        before, after = original[criterion], follow_up[criterion]
        if not before.applicable or not after.applicable:
            continue
        table = [
            [before.sufficient, before.applicable - before.sufficient],
            [after.sufficient, after.applicable - after.sufficient],
        ]
        p_value = float(fisher_exact(table)[1])
        changes.append(
            Change(
                criterion,
                before.percent,
                after.percent,
                after.percent - before.percent,
                p_value,
                p_value < SIGNIFICANCE,
            )
        )
    return changes


def summary(changes: list[Change]) -> str:
    """Return 'improvement against X of Y measures' (and how many significantly)."""
    improved = [c for c in changes if c.change > 0]
    significant = [c for c in improved if c.significant]
    return (
        f"improvement against {len(improved)} of {len(changes)} measures "
        f"({len(significant)} statistically significant)"
    )
