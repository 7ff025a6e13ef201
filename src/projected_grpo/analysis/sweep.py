"""Arms x seeds sweeps of `pgrpo train`: one subprocess per run, skipped when done, resumed when cut.

    pgrpo sweep --arms vanilla erase --seeds 0 1 --preset smoke --out runs/sweep --dry-run
    pgrpo sweep --arms vanilla erase --seeds 0 1 --preset smoke --set lr=1e-3 --out runs/sweep
    pgrpo sweep --arms erase route --seeds 0 1 2 --preset fast --set direction=haar --gpus 0,1
    RAY_ADDRESS=auto pgrpo sweep --arms vanilla routeA --seeds 0 1 --preset full --backend ray

A job is `python -m projected_grpo.cli train --preset P --arm A --seed S --out OUT --run-name NAME
FLAGS`, `--set k=v` becoming tyro's `--k v` (bools `--k`/`--no-k`, tuples `a,b` -> `a b`, nested
`sampling.max_new_tokens` -> `--sampling.max-new-tokens`). NAME is `{preset}-{arm}-s{seed}`, plus
6 hex digits hashing the override values (not stop_at: a stopped run resumes under its name).
`{seed}` in a value becomes each job's seed: `--set direction=haar direction_seed={seed}` gives
every seed its own Haar draw, so the control band spans directions, not one draw.
Every job's config is parsed in-process first, so a bad override fails before anything starts.

A job's run directory OUT/NAME is `done` (summary.json: skipped), `stopped` (checkpointed at or
past --set stop_at: skipped), `resume` (config.json and a checkpoint: `pgrpo train --resume`),
`restart` (a directory without a checkpoint, a failed start: removed, started again) or `new`.
Each job writes OUT/NAME.log. The local backend runs one job per GPU (CUDA_VISIBLE_DEVICES=id)
or, without GPUs, `max_parallel` (default 1) jobs on CPU; the Ray backend runs the same
commands as Ray tasks (one GPU each, else one CPU), on the cluster at RAY_ADDRESS or a local one.
`--retries N` runs a failed job again (after 30 s, re-planned from disk: from its last checkpoint,
or from the start) up to N times: under CUDA MPS one client's crash ends every run on the GPU.
Afterwards `results_main` tabulates the sweep's runs into OUT/results. Exit 1 if any job failed.

Controls in one call (`expand`): `--controls haar haar_neg` adds, for every direction arm, the
same arm with each control direction, drawn per seed (`direction_seed={seed}`); with
`--matched-vanilla` (the default) every adapter variant the arms train gets its vanilla on that
variant, so each arm is paired with a baseline of its own adapter. `--set-variant
frozen_a:lr=1e-2` overrides every job of one variant (its vanilla included: the KL-matched lr),
`--set-arm erase:project_update=true` one arm's jobs (its controls included, not its vanilla).
`--seeds 0-9` is a range.

    pgrpo sweep --arms erase route routeA --controls haar --seeds 0-9 --preset organism \
        --set-variant frozen_a:lr=1e-2 --dry-run
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import hashlib
import io
import json
import shlex
import sys
import time
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from projected_grpo.analysis.sweep_run import import_ray, run_local, run_ray, say
from projected_grpo.errors import UserError

RESERVED = {"preset": "--preset", "arm": "--arms", "seed": "--seeds", "out": "--out", "run_name": "the sweep"}
NOT_HASHED = ("stop_at",)  # how far this call goes, not what the run is
RETRY_WAIT_S = 30.0  # before a retry: an MPS server refuses new clients until every crashed one has exited
SEED_TOKEN = "{seed}"  # in a --set value: each job's seed (direction_seed={seed}: a fresh Haar draw per seed)
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


# -- --set key=value -> tyro flags ---------------------------------------------------------
def _unwrap_optional(tp):
    members = [a for a in typing.get_args(tp) if a is not type(None)]
    return members[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(members) == 1 else tp


def _field_type(key: str):
    """The TrainConfig type at a dotted path (`sampling.max_new_tokens`); UserError if none."""
    from projected_grpo.train.config import TrainConfig

    cls, tp, parts = TrainConfig, None, key.split(".")
    for i, part in enumerate(parts):
        if cls is None:
            raise UserError(f"--set {key}: {'.'.join(parts[:i])} is not a group of fields")
        hints = typing.get_type_hints(cls)
        if part not in hints:
            close = difflib.get_close_matches(part, list(hints), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(f"--set {key}: {cls.__name__} has no field {part!r}{hint}")
        tp = _unwrap_optional(hints[part])
        cls = tp if dataclasses.is_dataclass(tp) else None
    if cls is not None:
        raise UserError(f"--set {key}: {key} is a group; set one of its fields ({key}.FIELD=VALUE)")
    return tp


def split_override(item: str) -> tuple[str, str]:
    key, eq, value = item.partition("=")
    key = key.strip()
    if not eq or not key:
        raise UserError(f"--set {item!r}: expected KEY=VALUE (e.g. lr=1e-3, sampling.max_new_tokens=8)")
    if key in RESERVED:
        raise UserError(f"--set {key}: the sweep sets {key} itself (use {RESERVED[key]})")
    return key, value


def override_flags(overrides: tuple[str, ...] | list[str]) -> list[str]:
    """`--set` items as `pgrpo train` flags, typed by the TrainConfig field each names."""
    flags, seen = [], set()
    for item in overrides:
        key, value = split_override(item)
        if key in seen:
            raise UserError(f"--set {key} given twice")
        seen.add(key)
        tp, dashed = _field_type(key), [p.replace("_", "-") for p in key.split(".")]
        if tp is bool and value.lower() != "none":  # tyro: --flag / --no-flag (--group.no-flag)
            if value.lower() not in _TRUE | _FALSE:
                raise UserError(f"--set {key}={value}: {key} is true or false")
            dashed[-1] = ("" if value.lower() in _TRUE else "no-") + dashed[-1]
            flags.append("--" + ".".join(dashed))
        elif typing.get_origin(tp) is tuple:  # a,b -> a b
            flags += ["--" + ".".join(dashed), *[v.strip() for v in value.split(",") if v.strip()]]
        else:
            flags += ["--" + ".".join(dashed), value]
    return flags


# -- the jobs ------------------------------------------------------------------------------
@dataclass
class Job:
    name: str
    arm: str
    seed: int
    args: list[str]  # what follows `pgrpo train` for a fresh start
    out: Path
    stop_at: int = 0
    status: str = "new"  # new | restart | resume | stopped | done
    note: str = ""

    @property
    def run_dir(self) -> Path:
        return self.out / self.name

    @property
    def log(self) -> Path:
        return self.out / f"{self.name}.log"

    @property
    def runs(self) -> bool:
        return self.status in ("new", "restart", "resume")

    def command(self) -> list[str]:
        base = [sys.executable, "-m", "projected_grpo.cli", "train"]
        if self.status == "resume":
            return base + ["--resume", str(self.run_dir)] + (["--stop-at", str(self.stop_at)] if self.stop_at else [])
        return base + self.args


def parse_job(preset_name: str, arm: str, args: list[str]):
    """The TrainConfig `pgrpo train ARGS` would run (the same tyro parse), or UserError."""
    import tyro

    from projected_grpo.cli_parse import condense
    from projected_grpo.train.config import TrainConfig, preset

    default = preset(preset_name, arm)
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            return tyro.cli(TrainConfig, args=args, default=default, prog="pgrpo train")
    except SystemExit:
        raise UserError(f"arm {arm}: {condense(buf.getvalue())}") from None


def override_hash(cfg, keys: list[str], templated: dict[str, str] | None = None) -> str:
    """6 hex digits of the parsed override values (lr=1e-3 and lr=0.001 agree), a `{seed}` value
    as written; '' for none."""
    templated = templated or {}
    values = {k: templated[k] if k in templated else functools.reduce(getattr, k.split("."), cfg)
              for k in sorted(keys) if k not in NOT_HASHED}
    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:6] if values else ""


def _status(job: Job) -> tuple[str, str]:
    from projected_grpo.train.checkpoint import latest

    d = job.run_dir
    if (d / "summary.json").exists():
        return "done", "finished"
    ckpt = latest(d) if d.is_dir() else None
    if ckpt is not None and (d / "config.json").is_file():
        step = int(ckpt.name.split("-")[1])
        if job.stop_at and step >= job.stop_at:
            return "stopped", f"checkpointed at step {step} >= stop_at {job.stop_at}"
        return "resume", f"from step {step}"
    if d.exists():
        return "restart", "a failed start (no checkpoint): removed and started again"
    return "new", ""


def parse_seeds(items) -> tuple[int, ...]:
    """Seeds as ints, `A-B` ranges (inclusive) or comma lists: ("0-2", "7") -> (0, 1, 2, 7)."""
    out: list[int] = []
    for item in items:
        for part in str(item).split(","):
            try:
                lo, _, hi = part.strip().partition("-")
                out += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
            except ValueError:
                raise UserError(f"--seeds {part!r}: expected an integer or a range like 0-9") from None
    return tuple(dict.fromkeys(out))


def _scoped(items: tuple[str, ...], flag: str) -> dict[str, tuple[str, ...]]:
    """SCOPE:FIELD=VALUE items by scope (an arm or an adapter variant)."""
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        scope, sep, override = item.partition(":")
        if not sep or "=" not in override:
            raise UserError(f"{flag} {item!r}: expected SCOPE:FIELD=VALUE, e.g. {flag} frozen_a:lr=1e-2")
        split_override(override)
        out[scope] = out.get(scope, ()) + (override,)
    return out


def expand(arms: tuple[str, ...], preset: str, overrides: tuple[str, ...], controls: tuple[str, ...] = (),
           matched_vanilla: bool = False, set_arm: tuple[str, ...] = (), set_variant: tuple[str, ...] = ()
           ) -> list[tuple[str, tuple[str, ...]]]:
    """The sweep's configurations, (arm, overrides) each: every arm as asked, every direction arm
    again with each control direction (a draw per seed), and the vanilla of each adapter variant
    the arms train. Overrides: --set for all, then --set-variant for the job's variant, then
    --set-arm for the job's arm."""
    from projected_grpo.directions.controls import CONTROLS, CONTROLS_DRAWN
    from projected_grpo.train.arms import ARM_NAMES, REFERENCE_ARM, direction_arms

    with_direction = direction_arms()
    by_arm, by_variant = _scoped(set_arm, "--set-arm"), _scoped(set_variant, "--set-variant")
    unknown = [a for a in (*arms, *by_arm) if a not in ARM_NAMES]
    if unknown:
        raise UserError(f"unknown arm(s) {unknown}; arms are {', '.join(ARM_NAMES)}")
    known_variants = [v for v in typing.get_args(_field_type("variant")) if v != "auto"]
    if set(by_variant) - set(known_variants):
        raise UserError(f"--set-variant: unknown adapter variant(s) {sorted(set(by_variant) - set(known_variants))}; "
                        f"variants are {', '.join(known_variants)}")
    bad = [c for c in controls if c not in CONTROLS or c == "real"]
    if bad:
        raise UserError(f"--controls {bad}: controls are {', '.join(c for c in CONTROLS if c != 'real')}")
    if controls and not any(a in with_direction for a in arms):
        raise UserError(f"--controls {' '.join(controls)} controls a direction; none of the arms reads one "
                        f"(direction arms: {', '.join(with_direction)})")

    def variant_of(arm: str, arm_overrides: tuple[str, ...]) -> str:  # the adapter the job would train
        return parse_job(preset, arm, override_flags([o.replace(SEED_TOKEN, "0") for o in arm_overrides])).adapter_variant

    specs: list[tuple[str, tuple[str, ...]]] = []

    def add(arm: str, extra: tuple[str, ...] = ()) -> str:
        variant = variant_of(arm, (*overrides, *by_arm.get(arm, ()), *extra))
        spec = (arm, (*overrides, *by_variant.get(variant, ()), *by_arm.get(arm, ()), *extra))
        if spec not in specs:
            specs.append(spec)
        return variant

    trained = [add(arm) for arm in dict.fromkeys(arms)]
    for arm in dict.fromkeys(a for a in arms if a in with_direction):
        for control in controls:
            add(arm, (f"direction={control}",) + ((f"direction_seed={SEED_TOKEN}",) if control in CONTROLS_DRAWN else ()))
    if matched_vanilla:
        own = variant_of(REFERENCE_ARM, overrides)
        for variant in dict.fromkeys(trained):
            add(REFERENCE_ARM, () if own == variant else (f"variant={variant}",))
    return specs


def plan_jobs(arms: tuple[str, ...], seeds: tuple[int, ...], preset: str, overrides: tuple[str, ...],
              out: Path, specs: list[tuple[str, tuple[str, ...]]] | None = None) -> list[Job]:
    """arms x seeds (or the given (arm, overrides) specs x seeds), each parsed in-process (bad
    overrides raise UserError here) and given a status."""
    from projected_grpo.train.arms import ARM_NAMES
    from projected_grpo.train.config import PRESETS

    if preset not in PRESETS:
        raise UserError(f"--preset {preset!r}: presets are {', '.join(PRESETS)}")
    unknown = [a for a in arms if a not in ARM_NAMES]
    if unknown or not arms or not seeds:
        raise UserError(f"need at least one arm and one seed; unknown arm(s) {unknown}; arms are {', '.join(ARM_NAMES)}")
    specs = specs if specs is not None else [(arm, tuple(overrides)) for arm in dict.fromkeys(arms)]
    jobs = []
    for arm, spec_overrides in specs:
        parsed = [split_override(o) for o in spec_overrides]
        keys, templated = [k for k, _ in parsed], {k: v for k, v in parsed if SEED_TOKEN in v}
        for seed in dict.fromkeys(seeds):
            flags = override_flags([o.replace(SEED_TOKEN, str(seed)) for o in spec_overrides])
            args = ["--preset", preset, "--arm", arm, "--seed", str(seed), "--out", str(out)]
            cfg = parse_job(preset, arm, args + flags)  # --run-name (a free string) cannot fail
            h = override_hash(cfg, keys, templated)  # a templated value hashes as written: one suffix for all seeds
            name = f"{preset}-{arm}-s{seed}" + (f"-{h}" if h else "")
            job = Job(name, arm, seed, args + ["--run-name", name] + flags, Path(out), stop_at=cfg.stop_at)
            job.status, job.note = _status(job)
            jobs.append(job)
    # seed-major: every arm and control at seed s is queued before any at s + 1, so a sweep cut
    # short still holds matched seeds (the paired test's unit), not some arms' seeds only
    order = {s: i for i, s in enumerate(dict.fromkeys(seeds))}
    return sorted(jobs, key=lambda j: order[j.seed])


# -- the sweep -----------------------------------------------------------------------------
def resolve_gpus(gpus: str) -> list[str]:
    """'auto': every visible GPU; '' / 'cpu' / 'none': none; '0,1': those."""
    if gpus == "auto":
        import torch

        return [str(i) for i in range(torch.cuda.device_count())]
    ids = [g.strip() for g in gpus.split(",") if g.strip().lower() not in ("", "cpu", "none")]
    if len(set(ids)) != len(ids):
        raise UserError(f"--gpus {gpus}: a GPU is listed twice")
    return ids


def print_table(jobs: list[Job]) -> None:
    say(f"{'name':<32} {'status':<8} command")
    for j in jobs:
        cmd = shlex.join(["pgrpo", *j.command()[3:]]) if j.runs else f"({j.note})"
        say(f"{j.name:<32} {j.status:<8} {cmd}")


def _results(jobs: list[Job], out: Path) -> int:
    try:
        from projected_grpo.analysis.results import results_main
    except ImportError as e:
        if e.name != "projected_grpo.analysis.results":
            raise
        say("results: projected_grpo.analysis.results is not available in this checkout; skipped")
        return 0
    dirs = [j.run_dir for j in jobs if (j.run_dir / "config.json").is_file()]
    if not dirs:
        say("results: no run directory to tabulate")
        return 0
    try:
        return results_main(dirs, out=out / "results")
    except UserError as e:
        say(f"results: error: {e} (the runs themselves are in {out})")
        return 2


def sweep_main(arms: tuple[str, ...], seeds: tuple, preset: str, overrides: tuple[str, ...], out: Path,
               gpus: str = "auto", backend: str = "local", max_parallel: int = 0, dry_run: bool = False,
               results: bool = True, jobs_per_gpu: int = 1, controls: tuple[str, ...] = (),
               matched_vanilla: bool = False, set_arm: tuple[str, ...] = (), set_variant: tuple[str, ...] = (),
               retries: int = 0) -> int:
    """Plan (arms + controls + matched vanillas) x seeds, print the table (dry_run: only that),
    run what is not done (a failed job again up to `retries` times, from its last checkpoint),
    tabulate."""
    if backend not in ("local", "ray"):
        raise UserError(f"--backend {backend!r}: local or ray")
    if max_parallel < 0:
        raise UserError(f"--max-parallel {max_parallel}: must be >= 0 (0: one job per GPU, or 1 on CPU)")
    if retries < 0:
        raise UserError(f"--retries {retries}: must be >= 0 (how many times a failed job runs again)")
    if jobs_per_gpu < 1 or (jobs_per_gpu > 1 and backend == "ray"):
        raise UserError(f"--jobs-per-gpu {jobs_per_gpu}: must be >= 1, and 1 with --backend ray (Ray gives each task a GPU)")
    out, seeds = Path(out), parse_seeds(seeds)
    from projected_grpo.train.config import PRESETS

    if preset not in PRESETS:
        raise UserError(f"--preset {preset!r}: presets are {', '.join(PRESETS)}")
    specs = expand(tuple(arms), preset, tuple(overrides), tuple(controls), matched_vanilla, tuple(set_arm),
                   tuple(set_variant))
    jobs = plan_jobs(tuple(arms), seeds, preset, tuple(overrides), out, specs)
    todo = [j for j in jobs if j.runs]
    counts = {s: sum(j.status == s for j in jobs) for s in ("new", "restart", "resume", "stopped", "done")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    say(f"sweep: {len(jobs)} job{'s' * (len(jobs) != 1)} ({summary}) under {out}")
    if dry_run:
        print_table(jobs)
        return 0
    for j in [j for j in jobs if not j.runs]:
        say(f"skip  {j.name:<32} {j.status}: {j.note}")
    t0, codes = time.time(), {}
    if todo:
        if backend == "ray":
            import_ray()  # fail before the GPU probe
        gpu_ids = resolve_gpus(gpus)
        out.mkdir(parents=True, exist_ok=True)
        run = (lambda js: run_ray(js, gpu_ids, max_parallel)) if backend == "ray" else \
            (lambda js: run_local(js, gpu_ids, max_parallel, jobs_per_gpu))
        codes = run(todo)
        for attempt in range(1, retries + 1):
            again = [j for j in todo if codes[j.name] != 0]
            if not again:
                break
            # Under an MPS daemon one client's fatal error (or a kill) ends every run sharing the
            # GPU, and the server takes no new client until all of them have exited: wait, then
            # re-plan from disk, so that each failed job resumes from its last checkpoint.
            say(f"retry {attempt} of {retries} in {RETRY_WAIT_S:g}s: {', '.join(j.name for j in again)}")
            time.sleep(RETRY_WAIT_S)
            for j in again:
                j.status, j.note = _status(j)
            codes.update(run([j for j in again if j.runs]))
    failed = sorted(n for n, rc in codes.items() if rc != 0)
    say(f"sweep: {len(codes) - len(failed)} ok, {len(failed)} failed, {len(jobs) - len(todo)} skipped "
        f"in {time.time() - t0:.1f}s" + (f"; failed: {', '.join(failed)}" if failed else ""))
    rc = 1 if failed else 0
    if results:
        rc = rc or _results(jobs, out)
    return rc
