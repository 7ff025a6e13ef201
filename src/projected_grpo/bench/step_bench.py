"""`pgrpo bench step`: full GRPO steps of the reference configuration (preset `full`: 16 prompts x
16 rollouts, <= 1536 new tokens, LoRA-style adapter r=32, KL 1e-3), split into phases with the
peak GPU memory of each, and each phase beside its roofline (bench/roofline.py: decode against
memory bandwidth, the behaviour and training passes against dense bf16 FLOPs), so the phase
furthest from its limit is the next lever.

It runs the real trainer (`Trainer.train_step`) on a random-weight model of the exact Qwen3-4B
shape with the real Qwen vocabulary and the bundled problems, so every phase is the code a user
runs. Random weights almost never sample EOS, so with `--lengths full` nearly every rollout runs
the full 1536 tokens: the worst case of the reference run, whose real completions are mostly
shorter. `--lengths realistic` stops each row at a length drawn from real completions (the
bundled teacher pool's and the hack pairs', in the model's tokens, scaled so the longest is the
cap): what a user's step costs. The draw is seeded; the engine stops the row as if it had
sampled EOS (engine/fast.py `stop_lengths`), so grading and the passes see the shorter rows.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
from pathlib import Path

import torch

from projected_grpo.bench import kernels, roofline
from projected_grpo.errors import UserError

PHASES = [  # (label, metrics key)
    ("generation", "time/gen"),
    ("  of which decode", "gen/decode_s"),
    ("  of which prefill", "gen/prefill_s"),
    ("  of which graph capture", "gen/capture_s"),
    ("grading (sandbox, overlaps the behaviour pass)", "time/grade"),
    ("waiting for grading after the behaviour pass", "time/grade_wait"),
    ("behaviour pass (logπ_old, logπ_ref, pooled)", "time/behaviour"),
    ("forward/backward (+ behaviour) + optimizer", "time/fb"),
    ("  of which optimizer + projection", "time/opt"),
    ("whole step", "time/step"),
]
MEMORY = [("generation", "mem/gen_gib"), ("behaviour pass", "mem/behaviour_gib"),
          ("forward/backward + optimizer", "mem/fb_gib")]


LENGTHS = ("full", "realistic")


def realistic_lengths(tok, cap: int) -> list[int]:
    """Token lengths of real completions scaled so that the longest is `cap`: each bundled
    problem's reference and each loophole mode's exploit (the bundled teacher pool) and both
    sides of every authored hack pair."""
    from projected_grpo.env.exploits import as_completion, exploit_code
    from projected_grpo.env.modes import LOOPHOLE_MODES
    from projected_grpo.env.problems import load_bundled
    from projected_grpo.pairs.pairset import select

    problems = [p for p in load_bundled() if p.reference_solution]
    texts = [as_completion(p.reference_solution) for p in problems]
    texts += [as_completion(exploit_code(m, p)) for p in problems for m in LOOPHOLE_MODES]
    texts += [side for pair in select("hack_pairs").pairs for side in (pair.hack, pair.clean)]
    n = [len(tok(t, add_special_tokens=False).input_ids) for t in texts]
    return [max(1, round(k * cap / max(n))) for k in n]


class LengthDraw:
    """n -> n lengths drawn with replacement from `lengths` (seeded; one stream over the run)."""

    def __init__(self, lengths: list[int], seed: int = 0):
        self.lengths, self.rng = lengths, random.Random(seed)

    def __call__(self, n: int) -> list[int]:
        return self.rng.choices(self.lengths, k=n)


def run(arm: str, steps: int, overrides: list[str], out: str | None,
        lengths: tuple[str, ...] = ("full",), profile: bool = False,
        profile_micro_batches: int = 8) -> dict[str, list[dict]]:
    """overrides: `--set`-style FIELD=VALUE items, parsed exactly as `pgrpo train` flags. Each
    length mode runs `steps` steps in turn on the same trainer (one model load and compile for
    both: `--lengths full realistic` measures them side by side in one process). `profile`: one
    more step, in the last length mode, with its behaviour and training passes under
    torch.profiler (not in the tables: the profiler slows it), each pass's first
    `profile_micro_batches` micro-batches (0: all; reading the events of a whole training pass of
    68 micro-batches took over four minutes on an H100 host)."""
    if not lengths:
        raise UserError(f"--lengths needs at least one of {', '.join(LENGTHS)}")
    bad = [m for m in lengths if m not in LENGTHS]
    if bad or len(set(lengths)) != len(lengths):
        raise UserError(f"--lengths {' '.join(lengths)}: choose each of {', '.join(LENGTHS)} at most once")
    if steps < 1:
        raise UserError(f"--steps must be >= 1, got {steps}")
    if profile_micro_batches < 0:
        raise UserError(f"--profile-micro-batches must be >= 0 (0: every micro-batch), got {profile_micro_batches}")
    if not torch.cuda.is_available():
        raise UserError("pgrpo bench step needs a CUDA GPU")
    from projected_grpo.analysis.sweep import override_flags, parse_job
    from projected_grpo.train.trainer import Trainer

    with tempfile.TemporaryDirectory() as tmp:
        args = ["--model", "qwen3-4b-shape", "--problems", "bundled", "--eval-problems", "", "--eval-samples", "0",
                "--steps", str(steps * len(lengths) + profile),
                "--out", tmp, "--run-name", "bench", "--no-tensorboard", "--no-log-rollouts",
                "--checkpoint-every", str(10**6)]
        cfg = parse_job("full", arm, args + override_flags(overrides))
        print(f"GPU {torch.cuda.get_device_name()}; preset full, arm {arm}: {cfg.prompts_per_step} x "
              f"{cfg.group_size} rollouts, <= {cfg.sampling.max_new_tokens} new tokens, engine {cfg.engine}, "
              f"gen_batch {cfg.gen_batch}, behaviour_logp {cfg.behaviour_logp}, token_budget {cfg.token_budget}",
              flush=True)
        trainer = Trainer(cfg, quiet=True)
        draw = None
        if "realistic" in lengths:
            if not hasattr(trainer.engine, "stop_lengths"):
                raise UserError("--lengths realistic stops rows in the fast engine: leave --set engine at auto or fast")
            pool = realistic_lengths(trainer.tok, cfg.sampling.max_new_tokens)
            draw = LengthDraw(pool, cfg.seed)
            print(f"lengths realistic: {len(pool)} real completions scaled to <= {cfg.sampling.max_new_tokens} tokens "
                  f"(mean {statistics.mean(pool):.0f}, median {statistics.median(pool):.0f})", flush=True)
        limits = card_limits(torch.cuda.get_device_name(), trainer, cfg)
        results: dict[str, list[dict]] = {}
        step = 0

        def save():  # after every step: a run cut short keeps what it measured
            if out:
                Path(out).write_text(json.dumps({"gpu": torch.cuda.get_device_name(), "arm": arm, "limits": limits,
                                                 "steps": results, "overrides": overrides}, indent=1))

        try:
            for mode in lengths:
                if hasattr(trainer.engine, "stop_lengths"):
                    trainer.engine.stop_lengths = draw if mode == "realistic" else None
                rows = results[mode] = []
                for _ in range(steps):
                    step += 1
                    m = trainer.train_step(step)
                    rows.append({k: v for k, v in m.items() if k.startswith(("time/", "gen/", "mem/", "loss/rows", "batch/"))})
                    # each step's phases as soon as it ends
                    print(f"{mode} lengths, step {step}: " + ", ".join(f"{label.strip()} {m[key]:.1f}" for label, key in PHASES
                                                                     if m.get(key) is not None) + " (s); peak "
                          + ", ".join(f"{label} {m[key]:.1f}" for label, key in MEMORY if m.get(key) is not None)
                          + " (GiB)", flush=True)
                    save()
            if profile:
                step += 1
                print(f"\nprofile of step {step} ({lengths[-1]} lengths): time by kernel category", flush=True)
                results["profile"] = profile_passes(trainer, step, profile_micro_batches)
                save()
        finally:
            trainer.log.close()
            trainer.close()
    for mode, rows in results.items():
        if mode == "profile":
            continue
        print(f"\n{mode} lengths ({len(rows)} steps{', the first of the run compiles' if mode == lengths[0] else ''})")
        _table(rows, limits)
    return results


def profile_passes(trainer, step: int, micro_batches: int = 0) -> list[dict]:
    """Run one step with the behaviour pass and the training pass (forward/backward) each under
    torch.profiler; print and return each pass's time by kernel category (bench/kernels.py) and
    the time inside the LM head's chunks (train/logprobs.py marks them).
    micro_batches > 0: the profiler stops once that many of the pass's micro-batches have run
    (the rest of the pass runs unprofiled, so the step trains as usual).
    The two passes are swapped in the trainer's module for wrapped ones for this step only."""
    import torch as real_torch  # the module's own `torch` name may be a test's stand-in
    from torch.profiler import ProfilerActivity, profile as torch_profile

    from projected_grpo.train import trainer as trainer_module
    from projected_grpo.train.logprobs import LM_HEAD

    on_gpu = str(trainer.device).startswith("cuda")
    found: list[dict] = []

    def profiled(label, fn):
        def call(model, adapter, batch, *args, **kwargs):
            activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if on_gpu else [])
            first = _FirstMicroBatches(torch_profile(activities=activities), batch, micro_batches, on_gpu, real_torch)
            try:
                result = fn(model, adapter, batch, *args, **kwargs)
            finally:
                first.close()
            prof, seen = first.prof, [first.profiled, first.seen]
            rows = kernels.kernel_rows(prof, device=on_gpu)
            got = kernels.print_profile(f"{label} (micro-batches profiled: {seen[0]} of {seen[1]})", rows,
                                        kernels.PASSES)
            got["micro_batches"] = seen
            got["lm_head_ms"] = kernels.range_ms(prof, LM_HEAD, device=on_gpu)
            print(f"      of all, inside the LM head's chunks (logits, logsumexp; forward and recompute, not "
                  f"their backward): {got['lm_head_ms']:.2f} ms")
            found.append({"pass": label, **got})
            return result
        return call

    saved = trainer_module.behaviour_pass, trainer_module.forward_backward
    trainer_module.behaviour_pass = profiled("behaviour pass", saved[0])
    trainer_module.forward_backward = profiled("training forward/backward", saved[1])
    try:
        trainer.train_step(step)
    finally:
        trainer_module.behaviour_pass, trainer_module.forward_backward = saved
    return found


class _FirstMicroBatches:
    """A running profiler that stops once `limit` of a pass's micro-batches have run (0: never):
    it stands in for `batch.micro_batches` (this batch object, until close), counting the packs
    the pass asks for and stopping before the first one past the limit."""

    def __init__(self, prof, batch, limit: int, on_gpu: bool, torch_mod):
        self.prof, self.batch, self.limit, self.on_gpu, self.torch = prof, batch, limit, on_gpu, torch_mod
        self.real, self.profiled, self.seen, self.running = batch.micro_batches, 0, 0, True
        batch.micro_batches = self.micro_batches
        prof.start()

    def micro_batches(self, rows: list[int], token_budget: int):
        for mb in self.real(rows, token_budget):
            if self.limit and self.profiled == self.limit:
                self.stop()
            self.profiled += self.running
            self.seen += 1
            yield mb

    def stop(self):
        if self.running:
            if self.on_gpu:
                self.torch.cuda.synchronize()  # the last profiled micro-batch's kernels finish inside
            self.prof.stop()
            self.running = False

    def close(self):
        self.stop()
        del self.batch.micro_batches


def card_limits(gpu: str, trainer, cfg) -> dict:
    """What the rooflines need: the card's peaks, the decode bytes, the dense weights, the passes."""
    model, adapter = trainer.model, trainer.adapter
    flags = dict(kl=cfg.kl_coef > 0, engine_logp=cfg.behaviour_logp == "engine", checkpointing=cfg.gradient_checkpointing)
    return {"bandwidth": roofline.spec_bandwidth(gpu), "bf16_flops": roofline.spec_bf16_flops(gpu),
            "decode_weight_bytes": roofline.model_bytes_per_step(model, adapter),
            "kv_bytes_per_token": roofline.kv_bytes_per_token(model), "dense_params": roofline.dense_params(model),
            "forwards": {"behaviour": roofline.forwards_in("behaviour", **flags),
                         "fb": roofline.forwards_in("fb", **flags)}}


def rooflines(row: dict, limits: dict) -> dict[str, float]:
    """metrics key -> its phase's time at the card's limit, for one step's row."""
    out = {}
    if row.get("gen/decode_steps") is not None:  # the fast engine's counters
        out["gen/decode_s"] = roofline.decode_seconds(row["gen/decode_steps"], row["gen/context_tokens"],
                                                      limits["decode_weight_bytes"], limits["kv_bytes_per_token"],
                                                      limits["bandwidth"])
    if row.get("batch/tokens"):
        f = limits["forwards"]
        dense = lambda n: roofline.pass_seconds(n, limits["dense_params"], row["batch/tokens"], limits["bf16_flops"])
        out["time/behaviour"] = dense(f["behaviour"])
        out["time/fb"] = dense(f["behaviour"] + f["fb"])  # time/fb includes the behaviour pass
    return out


def _table(rows: list[dict], limits: dict):
    """Median over steps after the first (the first compiles the decode step), beside each phase's
    roofline (decode: memory bandwidth; behaviour and training passes: dense bf16 FLOPs)."""
    later = rows[1:] or rows
    print(f"\nphase (seconds; median of steps 2..{len(rows)})" if len(rows) > 1 else "\nphase (seconds)")
    print(f"  {'':<50} {'median':>8}   {'roofline':>8} {'of it':>6}   step 1")
    bounds = [rooflines(r, limits) for r in later]
    for label, key in PHASES:
        vals = [r[key] for r in later if r.get(key) is not None]
        if vals:
            med = statistics.median(vals)
            lim = [b[key] for b in bounds if key in b]
            roof = f"{statistics.median(lim):8.1f} {statistics.median(lim) / med:6.0%}" if lim and med else f"{'':>8} {'':>6}"
            print(f"  {label:<50} {med:8.1f}   {roof}   {rows[0].get(key, float('nan')):.1f}")
    print("peak GPU memory (GiB)")
    for label, key in MEMORY:
        vals = [r[key] for r in rows if r.get(key) is not None]
        if vals:
            print(f"  {label:<50} {max(vals):8.1f}")
