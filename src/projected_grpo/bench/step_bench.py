"""`pgrpo bench step`: full GRPO steps of the reference configuration (preset `full`: 16 prompts x
16 rollouts, <= 1536 new tokens, LoRA-style adapter r=32, KL 1e-3), split into phases with the
peak GPU memory of each.

It runs the real trainer (`Trainer.train_step`) on a random-weight model of the exact Qwen3-4B
shape with the real Qwen vocabulary and the bundled problems, so every phase is the code a user
runs. Random weights almost never sample EOS, so nearly every rollout runs the full 1536 tokens:
the worst case of the reference run, whose real completions are mostly shorter.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

import torch

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


def run(arm: str, steps: int, overrides: list[str], out: str | None) -> list[dict]:
    """overrides: `--set`-style FIELD=VALUE items, parsed exactly as `pgrpo train` flags."""
    if not torch.cuda.is_available():
        raise UserError("pgrpo bench step needs a CUDA GPU")
    from projected_grpo.analysis.sweep import override_flags, parse_job
    from projected_grpo.train.trainer import Trainer

    with tempfile.TemporaryDirectory() as tmp:
        args = ["--model", "qwen3-4b-shape", "--problems", "bundled", "--eval-problems", "", "--eval-samples", "0",
                "--steps", str(steps),
                "--out", tmp, "--run-name", "bench", "--no-tensorboard", "--no-log-rollouts",
                "--checkpoint-every", str(10**6)]
        cfg = parse_job("full", arm, args + override_flags(overrides))
        print(f"GPU {torch.cuda.get_device_name()}; preset full, arm {arm}: {cfg.prompts_per_step} x "
              f"{cfg.group_size} rollouts, <= {cfg.sampling.max_new_tokens} new tokens, engine {cfg.engine}, "
              f"gen_batch {cfg.gen_batch}, behaviour_logp {cfg.behaviour_logp}, token_budget {cfg.token_budget}",
              flush=True)
        trainer = Trainer(cfg, quiet=True)
        rows = []
        try:
            for step in range(1, steps + 1):
                m = trainer.train_step(step)
                rows.append({k: v for k, v in m.items() if k.startswith(("time/", "gen/", "mem/", "loss/rows"))})
                # each step's phases as soon as it ends: a run cut short keeps what it measured
                print(f"step {step}: " + ", ".join(f"{label.strip()} {m[key]:.1f}" for label, key in PHASES
                                                   if m.get(key) is not None) + " (s); peak "
                      + ", ".join(f"{label} {m[key]:.1f}" for label, key in MEMORY) + " (GiB)", flush=True)
                if out:
                    Path(out).write_text(json.dumps({"gpu": torch.cuda.get_device_name(), "arm": arm,
                                                     "steps": rows, "overrides": overrides}, indent=1))
        finally:
            trainer.log.close()
            trainer.close()
    _table(rows)
    return rows


def _table(rows: list[dict]):
    """Median over steps after the first (the first compiles the decode step)."""
    later = rows[1:] or rows
    print(f"\nphase (seconds; median of steps 2..{len(rows)})" if len(rows) > 1 else "\nphase (seconds)")
    for label, key in PHASES:
        vals = [r[key] for r in later if r.get(key) is not None]
        if vals:
            print(f"  {label:<50} {statistics.median(vals):8.1f}   (step 1: {rows[0].get(key, float('nan')):.1f})")
    print("peak GPU memory (GiB)")
    for label, key in MEMORY:
        print(f"  {label:<50} {max(r[key] for r in rows):8.1f}")
