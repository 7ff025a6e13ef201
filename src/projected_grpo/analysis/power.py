"""How small an effect the primary comparison can see, for `pgrpo results --primary METRIC`.

    pgrpo results runs/sweep --primary test/deployed/hack     # "Power of the primary comparisons"

For every paired comparison of the primary metric (each arm − its vanilla, each real − control
direction), from the standard deviation of its per-seed differences: the smallest true mean
difference its n pairs detect with 80% power (two-sided paired t at α = 0.05; stats.detectable),
and the pairs it would take to detect the difference it observed (stats.pairs_needed). A
comparison whose detectable difference is larger than any plausible effect cannot answer the
question with these seeds, whatever its p-value says; the observed sd is itself a noisy estimate
with few pairs, so these are a guide to how many seeds to run next, not a test.
"""

from __future__ import annotations

from projected_grpo.analysis.families import FAMILIES
from projected_grpo.analysis.stats import detectable, pairs_needed


def power_rows(rep: dict, primary: str | None, alpha: float = 0.05, power: float = 0.8) -> list[dict]:
    if primary is None:
        return []
    rows = []
    for family in FAMILIES:
        for p in rep[family]:
            s = p["metrics"][primary]
            sd, n, mean = s.get("sd"), s["n_pairs"], s["mean"]
            if sd is None or n < 2:
                continue
            rows.append({"family": family, "group": p["group"], "reference": p["reference"], "n_pairs": n,
                         "mean": mean, "sd": sd, "detectable": detectable(sd, n, alpha, power),
                         "pairs_for_observed": pairs_needed(sd, mean, alpha, power) if sd > 0 else None})
    return rows


def power_markdown(rows: list[dict], primary: str | None) -> list[str]:
    if not rows:
        return []
    lines = ["", f"## Power of the primary comparisons ({primary})", "",
             "80% power, two-sided paired t at α = 0.05, from each comparison's sd of per-seed differences "
             "(itself uncertain with few pairs: a guide to the next sweep's seeds, not a test)", "",
             "| comparison | n_pairs | mean difference | sd of differences | detectable with these pairs | "
             "pairs to detect the observed difference |", "|---|---|---|---|---|---|"]
    for r in rows:
        need = "-" if r["pairs_for_observed"] is None else str(r["pairs_for_observed"])
        lines.append(f"| {r['group']} − {r['reference']} | {r['n_pairs']} | {r['mean']:+.3f} | {r['sd']:.3f} | "
                     f"{r['detectable']:.3f} | {need} |")
    return lines
