"""The primary metric and Holm-Bonferroni across the secondary ones, for `pgrpo results`.

    pgrpo results runs/sweep --primary test/deployed/hack

A paired table tests every arm on every metric it shows; at α = 0.05 some "significant"
differences are then expected by chance alone. The fix is the usual one for a pre-registered
analysis: name one primary metric (`--primary`), report its paired tests first and uncorrected,
and correct the rest (the secondary metrics: the table's other columns and `hacked`) with Holm-
Bonferroni within each family of paired comparisons. A family is one section of the report:
every (group − vanilla, secondary metric) test is one family, every (real − control direction,
secondary metric) test another; the adjustment runs across all the tests of a family that have
a p-value (Holm controls the family-wise error rate under any dependence, and metrics of the
same runs are strongly dependent). Without --primary every shown metric is secondary. Metrics
outside the table (e.g. oracle/solve_s_gt_only) are tested but not in any family: their raw p
stands alone, marked role "other" in the JSON and CSV.
"""

from __future__ import annotations

from projected_grpo.analysis.stats import holm
from projected_grpo.errors import UserError

FAMILIES = ("paired_vs_vanilla", "paired_vs_control")


def check_primary(primary: str | None, metrics: tuple[str, ...]):
    if primary is not None and primary not in metrics:
        raise UserError(f"results: --primary {primary}: unknown metric (metrics: {', '.join(metrics)})")


def columns(table: tuple[tuple[str, str], ...], primary: str | None) -> list[tuple[str, str]]:
    """The table's (metric, header) columns plus `hacked`, with the primary first and marked."""
    cols = [*table, ("hacked", "hacked")]
    if primary is None:
        return cols
    label = dict(cols).get(primary, primary)
    return [(primary, f"{label} [primary]"), *(c for c in cols if c[0] != primary)]


def secondary(table: tuple[tuple[str, str], ...], primary: str | None) -> list[str]:
    return [m for m, _ in columns(table, primary) if m != primary]


def adjust(rep: dict, table: tuple[tuple[str, str], ...], primary: str | None):
    """Mark each paired test's role and add its Holm-adjusted p (None for the primary, for
    metrics outside the family, and where no test was possible), family by family, in place."""
    second = secondary(table, primary)
    rep["primary"], rep["secondary"] = primary, second
    for family in FAMILIES:
        tests = []
        for p in rep[family]:
            for m, s in p["metrics"].items():
                s["role"] = "primary" if m == primary else "secondary" if m in second else "other"
                s["p_holm"] = None
                if s["role"] == "secondary" and s["p"] is not None:
                    tests.append(s)
        for s, adj in zip(tests, holm([s["p"] for s in tests])):
            s["p_holm"] = adj
        rep.setdefault("holm_family_size", {})[family] = len(tests)
