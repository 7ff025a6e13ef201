"""`pgrpo klmatch`: which candidate run drifted as far from the base model as a reference run.

Arms on another adapter than their vanilla (erase and route train frozen_a, vanilla lora2r) move
the policy by different amounts at one lr, and a lower hack rate may then be a smaller step
(docs/organism.md). Their matched vanilla runs on the same adapter at the lr whose drift matches
the reference's: the candidate whose KL to the base model over the last k steps (`pgrpo results`'
"KL (last k)") is nearest on a log scale, |log KL(candidate) − log KL(reference)| (the
preregistration's FROZEN_A_LR rule, docs/organism-pretrained.md).

    pgrpo klmatch runs/sweep/baselines/smollm2-vanilla-s0-b7113e runs/cal --last-k 5
"""

from __future__ import annotations

import math
from pathlib import Path

from projected_grpo.analysis.results import last_k_mean
from projected_grpo.analysis.runs import Run, find_runs, load_run
from projected_grpo.errors import UserError

KL = "loss/kl"


def drift(run: Run, last_k: int) -> float:
    """The run's mean KL to the base model over its last k steps; a finished run is required."""
    if not run.finished:
        raise UserError(f"{run.dir}: unfinished (step {run.last_step} of {run.cfg.get('steps')}): the rule reads the "
                        f"last {last_k} steps of a finished run")
    kl = last_k_mean(run, KL, last_k)  # `pgrpo results`' KL (last k), without reading the evaluation
    if kl is None or kl <= 0:
        raise UserError(f"{run.dir}: no positive {KL} over its last {last_k} steps: nothing to match on")
    return kl


def klmatch_main(reference: Path, candidates: list[Path], last_k: int = 5) -> int:
    if last_k < 1:
        raise UserError(f"--last-k must be >= 1, got {last_k}")
    ref = load_run(Path(reference))
    runs = [r for r in find_runs(candidates) if r.dir.resolve() != ref.dir.resolve()]
    if not runs:
        raise UserError(f"no candidate run directories under {', '.join(map(str, candidates))}")
    target = drift(ref, last_k)
    rows = sorted(((abs(math.log(kl / target)), r, kl) for r in runs for kl in [drift(r, last_k)]),
                  key=lambda x: x[0])
    print(f"reference {ref.label}: variant {ref.cfg.get('variant')}, lr {ref.cfg.get('lr')}, "
          f"KL over the last {last_k} steps {target:.4g}\n")
    print("| candidate | variant | lr | KL (last k) | KL / reference | abs log ratio |")
    print("|---|---|---|---|---|---|")
    for dist, r, kl in rows:
        print(f"| {r.label} | {r.cfg.get('variant')} | {r.cfg.get('lr')} | {kl:.4g} | {kl / target:.3f} | {dist:.3f} |")
    _, best, _ = rows[0]
    tied = [r.label for d, r, _ in rows[1:] if math.isclose(d, rows[0][0], rel_tol=1e-9)]
    print(f"\nnearest: {best.label} (lr {best.cfg.get('lr')})" + (f"; tied with {', '.join(tied)}" if tied else ""))
    return 0
