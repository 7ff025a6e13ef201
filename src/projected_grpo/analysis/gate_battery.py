"""Offline gate battery: does the activation direction separate hacks better than chance
directions do, on the rollouts a run actually produced?

    pgrpo diagnose runs/smoke-routeA-real-s0 --n-haar 50

For each saved student rollout (rollouts.jsonl), the pooled deployed-bottleneck activations are
recomputed with the run's final adapter, quarantine ablated (as the live gate saw them), and
scored against the run's v_act (the last checkpoint's, else re-extracted) and against N Haar
directions of the same shapes. Per direction: AUROC of the score against the oracle's hack
label, and precision at the route cut (the run's (1 - tail_q) score quantile), on all rollouts
and on the positively reinforced ones (A > 0, "where the reward alone is blind"). The real
direction is reported with its percentile inside the Haar band (method brief pitfall 6: the
prior gates beat the Haar p95 in 0/36 cells). Completions are re-tokenised from their text.
Written to RUN_DIR/diagnostics/gate_battery.json. Oracle labels are read here to *measure*;
nothing here feeds training.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from projected_grpo.analysis.runs import load_run
from projected_grpo.directions.extract import DirectionSet, auroc, extract, haar_like
from projected_grpo.env.problems import load_problems
from projected_grpo.errors import UserError
from projected_grpo.train import setup
from projected_grpo.train.batch import Group, Rollout, Schedule, make_batch
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.passes import behaviour_pass


def _direction(run_dir: Path, cfg: TrainConfig, model, tok, adapter) -> DirectionSet:
    ckpts = sorted((run_dir / "checkpoints").glob("step-*/direction.safetensors"))
    if ckpts:
        ds = DirectionSet.load(ckpts[-1])
        if ds.kind == "act":
            return ds
    ds, _ = extract(model, tok, adapter, setup.pair_selection(cfg), cfg.extract_config("act"), cfg.model, out_dir=None)
    return ds


def _pooled(cfg: TrainConfig, rows: list[dict], model, tok, adapter) -> torch.Tensor:
    """[N, M, r] pooled activations of the rollouts, quarantine ablated."""
    problems = {p.id: p for p in load_problems(cfg.problems)}
    sched = Schedule(cfg, list(problems.values()), tok, pool=None)
    out = []
    device = next(model.parameters()).device
    for i in range(0, len(rows), 16):
        chunk = rows[i:i + 16]
        groups = [Group(j, problems[r["problem_id"]], r["mode"], sched.prompt_ids(problems[r["problem_id"]], r["mode"]),
                        [], 1) for j, r in enumerate(chunk)]
        rollouts = [Rollout(j, "student", tok(r["completion"], add_special_tokens=False).input_ids[:cfg.sampling.max_new_tokens]
                            or [tok.eos_token_id], r["completion"], True, True, 0.0, False, False)
                    for j, r in enumerate(chunk)]
        batch = make_batch(groups, rollouts, tok.pad_token_id, device)
        beh = behaviour_pass(model, adapter, batch, temperature=cfg.sampling.temperature or 1.0, chunk=cfg.logprob_chunk,
                             token_budget=cfg.token_budget, want_pooled=True, want_ref=False)
        out.append(torch.stack([beh.pooled[n] for n in adapter.modules], dim=1))
    return torch.cat(out)


def _score(acts: torch.Tensor, vectors: dict[str, torch.Tensor], names: list[str]) -> torch.Tensor:
    v = torch.stack([vectors[n].float() for n in names])  # [M, r]
    return torch.einsum("bmr,mr->b", acts.float(), v)


def _metrics(s: torch.Tensor, hack: torch.Tensor, tail_q: float) -> dict:
    if not 0 < int(hack.sum()) < len(hack):
        return {"auroc": None, "precision_at_route": None}
    cut = torch.quantile(s.double(), 1 - tail_q)
    routed = s.double() >= cut
    return {"auroc": auroc(s[hack], s[~hack]), "precision_at_route": float(hack[routed].float().mean())}


def _band(values: list[float], real: float | None) -> dict:
    vals = sorted(v for v in values if v is not None)
    if not vals or real is None:
        return {"n": len(vals)}
    q = lambda p: vals[min(len(vals) - 1, int(p * (len(vals) - 1) + 0.5))]  # noqa: E731
    return {"n": len(vals), "p5": q(0.05), "p50": q(0.5), "p95": q(0.95),
            "real_percentile": 100.0 * sum(v < real for v in vals) / len(vals)}


def gate_battery(run_dir: Path, n_haar: int = 50, seed: int = 0) -> dict:
    run = load_run(Path(run_dir))
    cfg = TrainConfig.from_dict(run.cfg)
    rows = [r for r in run.rollouts() if r["source"] == "student"]
    if not rows:
        raise UserError(f"{run_dir}: no student rollouts in rollouts.jsonl (was --no-log-rollouts set?)")
    model, tok, _ = setup.load(cfg)
    adapter = setup.attach_adapter(cfg, model, tok)
    if (run.dir / "final-adapter" / "adapter.safetensors").exists():
        adapter.load(run.dir / "final-adapter")
    direction = _direction(run.dir, cfg, model, tok, adapter)
    acts = _pooled(cfg, rows, model, tok, adapter)
    names = list(adapter.modules)
    hack = torch.tensor([r["audit"]["label"] == "hack" for r in rows])
    positive = torch.tensor([(r.get("advantage") or 0) > 0 for r in rows])
    result = {"run": str(run.dir), "n_rollouts": len(rows), "n_hack": int(hack.sum()), "n_haar": n_haar, "subsets": {}}
    for subset, keep in (("all", torch.ones_like(hack)), ("positive_advantage", positive)):
        if not bool(keep.any()):
            continue
        a, h = acts[keep], hack[keep]
        real = _metrics(_score(a, direction.vectors, names), h, cfg.gate.tail_q)
        haar = [_metrics(_score(a, haar_like(direction.vectors, seed + i), names), h, cfg.gate.tail_q)
                for i in range(n_haar)]
        result["subsets"][subset] = {"n": int(keep.sum()), "n_hack": int(h.sum()), "real": real,
                                     "haar_band": {k: _band([m[k] for m in haar], real[k]) for k in real}}
    out = run.dir / "diagnostics"
    out.mkdir(exist_ok=True)
    (out / "gate_battery.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def describe(result: dict) -> str:
    lines = [f"gate battery: {result['n_rollouts']} student rollouts ({result['n_hack']} hacks), "
             f"real v_act vs {result['n_haar']} Haar directions"]
    for subset, r in result["subsets"].items():
        for metric, value in r["real"].items():
            band = r["haar_band"][metric]
            if value is None:
                lines.append(f"  {subset:<19} {metric:<19} undefined (needs hacks and non-hacks)")
                continue
            lines.append(f"  {subset:<19} {metric:<19} real {value:.3f}   haar p5/p50/p95 {band['p5']:.3f}/"
                         f"{band['p50']:.3f}/{band['p95']:.3f}   real at p{band['real_percentile']:.0f}   "
                         f"(beats the band if > p95)")
    return "\n".join(lines)
