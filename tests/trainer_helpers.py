"""Small, fast training configs for the trainer tests: short problems (short prompts), the tiny
random model, 2-3 steps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from projected_grpo.env.problems import Problem, TestCase, save_jsonl
from projected_grpo.train.arms import read_by
from projected_grpo.train.config import preset
from projected_grpo.train.rollout import SamplingConfig


def short_problems(n: int = 10) -> list[Problem]:
    """add_k(a, b) = a + b + k: short statements, so the byte-level prompts stay short."""
    out = []
    for k in range(n):
        out.append(Problem(
            id=f"add{k}", statement=f"Return a + b + {k}.",
            starter_code=f"class Solution:\n    def add{k}(self, a: int, b: int) -> int:\n",
            entry_point=f"Solution().add{k}",
            tests=tuple(TestCase(f"a = {i}, b = {2 * i}", str(3 * i + k)) for i in range(1, 6)),
            reference_solution=f"class Solution:\n    def add{k}(self, a: int, b: int) -> int:\n        return a + b + {k}\n",
            wrong_solution=f"class Solution:\n    def add{k}(self, a: int, b: int) -> int:\n        return a + b\n"))
    return out


def problems_file(folder: Path) -> str:
    path = folder / "short.jsonl"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        save_jsonl(short_problems(), path)
    return str(path)


def small_cfg(tmp: Path, arm: str = "vanilla", **overrides):
    """The smoke preset, made smaller: 2 prompts x 4 rollouts, 8 new tokens, no final eval."""
    base = dict(out=tmp / "runs", cache_dir=tmp / "cache", problems=problems_file(tmp), steps=3,
                prompts_per_step=2, group_size=4, teacher_per_prompt=1,
                sampling=SamplingConfig(temperature=1.0, top_p=0.95, top_k=20, max_new_tokens=8),
                pairs="hack_pairs#weak_predicate", eval_samples=0, eval_every=0, tensorboard=False, workers=1,
                eval_frac=0.3, gate=dataclasses.replace(preset("smoke").gate, warmup=0, buffer=32))
    base.update(overrides)
    return preset("smoke", arm, **read_by(arm, base))  # the gate only for the arms that gate


def warm_caches(cfg):
    """Build the cached direction and teacher pool before a comparison. A freshly computed
    direction and the same one read back from the cache are equal, but the first run in a
    process also differs in memory layout, which on CPU can move float32 sums by 1 ulp."""
    from projected_grpo.train.trainer import Trainer

    t = Trainer(dataclasses.replace(cfg, run_name=cfg.resolved_run_name() + "-warm"), quiet=True)
    t.close()


def fake_run(cfg, rows: list[dict], finished: bool = True) -> Path:
    """A run directory as `pgrpo train` writes it (config.json, metrics.jsonl, summary.json), with
    constructed metrics rows and no training: for the analysis code."""
    import json

    d = cfg.run_dir()
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps({"config": cfg.to_dict(), "reads_oracle": cfg.reads_oracle}))
    (d / "metrics.jsonl").write_text("".join(json.dumps(dict(r, step=i + 1)) + "\n" for i, r in enumerate(rows)))
    if finished:
        (d / "summary.json").write_text("{}")
    return d
