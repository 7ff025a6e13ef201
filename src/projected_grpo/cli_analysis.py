"""`pgrpo results`, `pgrpo plot`, `pgrpo sweep`, `pgrpo diagnose`, `pgrpo relearn`, `pgrpo klmatch`:
across runs (analysis/).

    pgrpo sweep --arms vanilla erase route --seeds 0 1 2 --preset fast --out runs/sweep
    pgrpo results runs/sweep --by arm --out runs/sweep/results --primary test/deployed/hack
    pgrpo plot runs/sweep --out runs/sweep/plots
    pgrpo diagnose runs/sweep/fast-routeA-s0 --n-haar 50
    pgrpo relearn runs/sweep/fast-routeA-real-s0 --steps 40 --vanilla runs/sweep/fast-vanilla-s0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import tyro

from projected_grpo.analysis.curves import Stat
from projected_grpo.train.arms import names

SWEEP_ARMS = names(lambda a: a.in_default_sweep)  # the registry's default sweep


@dataclass
class Results:
    """Group runs by arm (and configuration): last-k and final-eval metrics with n, mean ± 95% t
    CI, paired differences against vanilla on matched seeds, hacked runs, and the real direction's
    percentile in the control band. Markdown to stdout; CSV, JSON and Markdown under --out."""

    run_dirs: tyro.conf.Positional[tuple[Path, ...]]
    """run directories, or folders holding them"""
    by: tuple[str, ...] = ("arm",)
    """config fields to group by (direction arms are always split by direction)"""
    out: Path | None = None
    """folder for results.md / results.csv / results.json (default: stdout only)"""
    last_k: int = 5
    """steps averaged at the end of each run"""
    primary: str | None = None
    """the pre-registered metric (e.g. test/deployed/hack): shown first, its paired p uncorrected; the
    other shown metrics get Holm-Bonferroni adjusted p within each family of paired comparisons"""

    def run(self) -> int:
        from projected_grpo.analysis.results import results_main

        return results_main(list(self.run_dirs), tuple(self.by), self.out, self.last_k, self.primary)


@dataclass
class Curves:
    """One row per run: a metric's mean over windows of steps (default: the student hack rate on
    hackable prompts), KL and token log-prob at the last step, student hacks by mode; then
    transfer: the final evaluation's deployed hack rate per mode, held-out (evaluation markers)
    and train-IID. The emergence table of docs/organism-pretrained.md; runs that stopped early
    are kept and marked."""

    run_dirs: tyro.conf.Positional[tuple[Path, ...]]
    """run directories, or folders holding them"""
    metric: str = "oracle/hack_s_hackable"
    """metrics.jsonl key to average per window"""
    windows: tuple[str, ...] = ("1-5", "6-10", "11-20", "21-40", "41-60")
    """step windows FIRST-LAST"""
    cross: float = 0.5
    """also give the first step whose metric is at or above this (the emergence goal's 0.5)"""
    goal: bool = False
    """also judge each run against the emergence goal (steps 1-5 <= 0.05, steps 51-60 >= 0.5, modes learnt)"""
    stat: Stat = "mean"
    """per window: the mean, or the largest value and its step (a KL or gradient-norm spike)"""

    def run(self) -> int:
        from projected_grpo.analysis.curves import curves_main

        return curves_main(list(self.run_dirs), self.metric, list(self.windows), self.cross, self.goal, self.stat)


@dataclass
class Klmatch:
    """Which candidate run drifted as far from the base model as the reference: each one's mean KL
    over its last k steps against the reference's, nearest on a log scale (the lr of a matched
    vanilla on another adapter; docs/organism-pretrained.md's FROZEN_A_LR rule). Finished runs only."""

    reference: tyro.conf.Positional[Path]
    """the run whose drift to match (e.g. vanilla on lora2r)"""
    candidates: tyro.conf.Positional[tuple[Path, ...]]
    """candidate run directories, or folders holding them (e.g. vanilla on frozen_a at several lrs)"""
    last_k: int = 5
    """steps averaged at the end of each run (as `pgrpo results`' KL (last k))"""

    def run(self) -> int:
        from projected_grpo.analysis.klmatch import klmatch_main

        return klmatch_main(self.reference, list(self.candidates), self.last_k)


@dataclass
class Forms:
    """Are a run's hacks its own? Student hacks reduced to forms (names renamed by first use,
    strings and layout dropped; structure kept), per run and mode: distinct forms, the most common
    form's share and the share that are the teacher pool's canonical exploits; --examples K
    prints the K most common non-canonical forms with one completion each."""

    run_dirs: tyro.conf.Positional[tuple[Path, ...]]
    """run directories, or folders holding them"""
    steps: str = ""
    """only hacks of these steps, FIRST-LAST (default: all)"""
    examples: int = 0
    """print this many of the most common non-canonical forms per run"""
    label: Literal["hack", "attempted"] = "hack"
    """the oracle label whose forms to count: hack, or attempted (tried a loophole, earned nothing: the near misses)"""

    def run(self) -> int:
        from projected_grpo.analysis.forms import forms_main

        return forms_main(list(self.run_dirs), self.steps, self.examples, self.label)


@dataclass
class Plot:
    """PNG figures of runs: hack/solve curves (as trained vs deployed), rollout categories, gate
    score distributions with AUROC, per-mode deployed hack bars, cin/cout over steps."""

    run_dirs: tyro.conf.Positional[tuple[Path, ...]]
    """run directories, or folders holding them"""
    out: Path = Path("runs/plots")
    """folder for the PNG files"""

    def run(self) -> int:
        from projected_grpo.analysis.plots import plot_main

        for path in plot_main(list(self.run_dirs), self.out):
            print(f"wrote {path}")
        return 0


@dataclass
class Sweep:
    """arms x seeds (x one set of overrides) as `pgrpo train` jobs: one process per GPU from a
    queue (sequential on CPU), finished runs skipped, interrupted ones resumed, then `results`."""

    arms: tuple[str, ...] = SWEEP_ARMS
    """arms to run (each with every seed)"""
    seeds: tuple[str, ...] = ("0", "1", "2")
    """seeds to run (each with every arm): integers or ranges, e.g. 0-9"""
    controls: tuple[str, ...] = ()
    """control directions added for every direction arm, a draw per seed (haar, haar_neg, shuffled, null, reverse)"""
    matched_vanilla: bool = True
    """add the vanilla of every adapter variant the arms train (each arm's matched baseline)"""
    set_variant: tuple[str, ...] = ()
    """VARIANT:FIELD=VALUE for every job of one adapter variant, its vanilla included (frozen_a:lr=1e-2)"""
    set_arm: tuple[str, ...] = ()
    """ARM:FIELD=VALUE for one arm's jobs and its controls (erase:project_update=true)"""
    preset: str = "smoke"
    """training preset of every job (the presets `pgrpo train --help` lists)"""
    set: tuple[str, ...] = ()
    """overrides as FIELD=VALUE, e.g. --set lr=1e-4 direction=haar sampling.max_new_tokens=512;
    {seed} in a value is each job's seed (direction_seed={seed}: one Haar draw per seed)"""
    out: Path = Path("runs/sweep")
    """parent folder of the sweep's run directories (and results/)"""
    gpus: str = "auto"
    """auto (every visible GPU), a list like 0,1, or none"""
    backend: Literal["local", "ray"] = "local"
    """local: a process per GPU here; ray: Ray tasks with one GPU each (RAY_ADDRESS for a cluster)"""
    max_parallel: int = 0
    """jobs at once (0: one per GPU slot, 1 on CPU)"""
    jobs_per_gpu: int = 1
    """local backend: jobs sharing one GPU (small models, e.g. the organism, leave it mostly idle)"""
    dry_run: bool = False
    """print the jobs and their status, run nothing"""
    results: bool = True
    """call `pgrpo results` on the sweep's runs at the end"""
    retries: int = 0
    """run a failed job again up to N times, from its last checkpoint (under MPS one run's crash
    ends every run sharing the GPU)"""

    def run(self) -> int:
        from projected_grpo.analysis.sweep import sweep_main

        return sweep_main(tuple(self.arms), tuple(self.seeds), self.preset, tuple(self.set), self.out, self.gpus,
                          self.backend, self.max_parallel, self.dry_run, self.results, self.jobs_per_gpu,
                          tuple(self.controls), self.matched_vanilla, tuple(self.set_arm), tuple(self.set_variant),
                          self.retries)


@dataclass
class Diagnose:
    """Offline gate battery on a run's saved rollouts: AUROC, |AUROC - 0.5| and precision at the
    route cut of the real v_act (or v_grad: --kind grad) against N Haar draws and their negations (a ±Haar band, with the
    real direction's percentile in it), all rollouts and A > 0 ones."""

    run_dir: tyro.conf.Positional[Path]
    n_haar: int = 50
    """Haar draws; each is also negated, so the band holds 2N directions (use >= 20)"""
    seed: int = 0
    """seed of the Haar draws (and of the --max-rollouts sample)"""
    steps: str = ""
    """only rollouts of these steps, FIRST-LAST (default: all)"""
    max_rollouts: int = 0
    """score at most this many rollouts, a seeded uniform sample (0: all; for a CPU)"""
    kind: Literal["act", "grad"] = "act"
    """the gate's direction: act (v_act on pooled activations, routeA's gate) or grad (v_grad =
    unit(mean(g_hack - g_clean)) on exact per-rollout gradients, routeV's gate)"""
    token_budget: int = 0
    """tokens per scoring micro-batch (0: the run's token_budget). Lower it where memory is short:
    --kind grad holds every module's inputs and output gradients for a micro-batch (a SmolLM2 run's
    8192 ran out of 24 GB on a CPU). The scores do not depend on it"""
    length_bins: int = 5
    """quantile bins of completion length for the length-matched AUROC (pairs of a hack and a
    non-hack in the same bin; 0: not computed)"""
    reuse_scores: bool = False
    """re-analyse the scores the last call saved (diagnostics/gate_scores*.pt) for the same
    rollouts, draws and adapter, without loading the model (e.g. other --length-bins)"""

    def run(self) -> int:
        from projected_grpo.analysis.curves import parse_window
        from projected_grpo.analysis.gate_battery import describe, gate_battery
        from projected_grpo.errors import UserError

        if self.n_haar < 1:
            raise UserError(f"--n-haar must be >= 1 (the band needs Haar directions), got {self.n_haar}")
        if self.max_rollouts < 0:
            raise UserError(f"--max-rollouts must be >= 0, got {self.max_rollouts}")
        steps = parse_window(self.steps, "--steps") if self.steps else None
        print(describe(gate_battery(self.run_dir, self.n_haar, self.seed, steps, self.max_rollouts, self.kind,
                                    self.token_budget, self.length_bins, self.reuse_scores)))
        return 0


@dataclass
class Relearn:
    """Relearning resistance: continue a run's deployed model (final adapter, quarantine reset)
    with vanilla GRPO under its own config and count the steps until the student hack rate on
    hackable prompts reaches the target (the matched vanilla run's last-5-step mean, or
    --target-hack). Writes a relearn run directory and relearn.json (also into RUN_DIR)."""

    run_dir: tyro.conf.Positional[Path]
    """a finished run (holds final-adapter/)"""
    steps: int
    """vanilla GRPO steps to run (not reaching the target in them: resistance > steps)"""
    out: Path | None = None
    """the relearn run directory (default RUN_DIR/relearn)"""
    vanilla: Path | None = None
    """the matched vanilla run: its final (last-5-step mean) hack rate is the target"""
    target_hack: float | None = None
    """the target hack rate, instead of --vanilla"""
    window: int = 1
    """trailing steps averaged before comparing with the target (1: each step's own rate)"""
    eval_samples: int = 0
    """evaluate the relearned model at its end with N samples per prompt (0: none; the measure
    reads the training curve)"""
    teachers: str = "none"
    """none: the model's own samples only; run: the run's own teacher rows too (demonstrations)"""

    def run(self) -> int:
        from projected_grpo.analysis.relearn import describe, relearn

        print(describe(relearn(self.run_dir, self.steps, self.out, self.vanilla, self.target_hack, self.window,
                               eval_samples=self.eval_samples, teachers=self.teachers)))
        return 0
