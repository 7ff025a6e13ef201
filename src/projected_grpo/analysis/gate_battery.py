"""Offline gate battery: does the activation direction separate hacks better than chance
directions do, on the rollouts a run actually produced?

    pgrpo diagnose runs/smoke-routeA-real-s0 --n-haar 50               # v_act (routeA's gate)
    pgrpo diagnose runs/smoke-routeA-real-s0 --n-haar 50 --kind grad   # v_grad (routeV's gate)

For each saved student rollout (rollouts.jsonl), the gate's feature is recomputed with the run's
final adapter, quarantine ablated (as the live gate saw it), and scored against the run's
direction (the last checkpoint's if it is of that kind, else extracted from the run's pairs) and
against N Haar draws of the same shapes, each draw also negated: a ±Haar band of 2N directions.
act: Σ_m <pooled deployed-bottleneck activations, v_act_m>. grad: Σ_m <g_m(x), v_m> with g_m(x)
the rollout's exact completion-NLL gradient w.r.t. B_dep and v = unit(mean(g_hack - g_clean)) per
module (train/gate.py grad_scores, the score routeV gates on). Per direction:
AUROC of the score against the oracle's hack label, |AUROC - 0.5| (how well it separates either
way), and precision at the route cut (the run's (1 - tail_q) score quantile), on all rollouts
and on the positively reinforced ones (A > 0, "where the reward alone is blind"). The real
direction is reported with its percentile inside the ±Haar band on each (method brief pitfall
6: the prior gates beat the Haar p95 in 0/36 cells). Why both signs and |AUROC - 0.5|: on a
memorising toy model random directions separate hacks too, at AUROC 0.84 or 0.17 (pitfall 17);
a band of one sign only tests whether the real direction got its sign luckier than the draws.
Length-matched AUROC: hacks are often much shorter than the rest, so "the shorter one is the
hack" alone separates them and a direction can score well by reading length. The battery also
reports each direction's AUROC over (hack, non-hack) pairs of the same length bin (quantile bins
of the subset's completion lengths), with its own ±Haar band and length alone on the same pairs.
Completions are re-tokenised from their text.
Written to RUN_DIR/diagnostics/gate_battery.json (act) or gate_battery_grad.json, and the raw
scores (every rollout x direction, labels, lengths, advantages) to gate_scores[_grad].pt, which
--reuse-scores reads back for a re-analysis without the model. Oracle labels are read here to
*measure*; nothing here feeds training.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Literal

import torch

from projected_grpo.analysis.runs import load_run
from projected_grpo.directions.extract import DirectionSet, auroc, extract, haar_like
from projected_grpo.errors import UserError
from projected_grpo.train import setup
from projected_grpo.train.batch import Group, Rollout, Schedule, make_batch
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.gate import grad_scores
from projected_grpo.train.passes import behaviour_pass
from projected_grpo.util import band

Kind = Literal["act", "grad"]
NAMES = {"act": "v_act", "grad": "v_grad"}


def _extract_config(cfg: TrainConfig, kind: Kind):
    # grad: one axis per module, v = unit(mean(g_hack - g_clean)), as routeV reads it
    ec = cfg.extract_config(kind)
    return dataclasses.replace(ec, method="mean") if kind == "grad" else ec


def _direction(run_dir: Path, cfg: TrainConfig, model, tok, adapter, kind: Kind = "act") -> DirectionSet:
    ckpts = sorted((run_dir / "checkpoints").glob("step-*/direction.safetensors"))
    if ckpts:
        ds = DirectionSet.load(ckpts[-1])
        if ds.kind == kind and (kind == "act" or all(len(v) == 1 for v in ds.vectors.values())):
            return ds
    ds, _ = extract(model, tok, adapter, setup.pair_selection(cfg), _extract_config(cfg, kind), cfg.model, out_dir=None)
    return ds


def _batches(cfg: TrainConfig, rows: list[dict], model, tok):
    """The rollouts as training batches of 16 (prompts rebuilt from the run's problems)."""
    train, held = setup.problems(cfg)  # resolves `organism` and data-build folders as training did
    problems = {p.id: p for p in train + held}
    sched = Schedule(cfg, list(problems.values()), tok, pool=None)
    device = next(model.parameters()).device
    for i in range(0, len(rows), 16):
        chunk = rows[i:i + 16]
        groups = [Group(j, problems[r["problem_id"]], r["mode"], sched.prompt_ids(problems[r["problem_id"]], r["mode"]),
                        [], 1) for j, r in enumerate(chunk)]
        rollouts = [Rollout(j, "student", tok(r["completion"], add_special_tokens=False).input_ids[:cfg.sampling.max_new_tokens]
                            or [tok.eos_token_id], r["completion"], True, True, 0.0, False, False)
                    for j, r in enumerate(chunk)]
        yield make_batch(groups, rollouts, tok.pad_token_id, device)


def _scores(kind: Kind, cfg: TrainConfig, rows: list[dict], model, tok, adapter,
            directions: list[dict[str, torch.Tensor]]) -> torch.Tensor:
    """[N, D]: each rollout's gate score along each direction (module -> vectors)."""
    names = [n for n in adapter.modules if n in directions[0]]
    out = []
    for batch in _batches(cfg, rows, model, tok):
        if kind == "grad":
            s = grad_scores(model, adapter, batch, directions, names, cfg.token_budget,
                            cfg.nll_normalize)
            out.append(s.sum(-1))
            continue
        beh = behaviour_pass(model, adapter, batch, temperature=cfg.sampling.temperature or 1.0, chunk=cfg.logprob_chunk,
                             token_budget=cfg.token_budget, want_pooled=True, want_ref=False)
        acts = torch.stack([beh.pooled[n] for n in names], dim=1)
        out.append(torch.stack([_score(acts, d, names) for d in directions], dim=1))
    return torch.cat(out)


def _score(acts: torch.Tensor, vectors: dict[str, torch.Tensor], names: list[str]) -> torch.Tensor:
    v = torch.stack([vectors[n].float() for n in names])  # [M, r]
    return torch.einsum("bmr,mr->b", acts.float(), v)


METRICS = ("auroc", "auroc_dev", "precision_at_route")  # auroc_dev = |AUROC - 0.5|
LABELS = {"auroc": "AUROC", "auroc_dev": "|AUROC - 0.5|", "precision_at_route": "precision at route"}
MIN_DRAWS = 20  # the method brief's band: >= 20 Haar seeds before "above p95" means anything


def _metrics(s: torch.Tensor, hack: torch.Tensor, tail_q: float) -> dict:
    if not 0 < int(hack.sum()) < len(hack):
        return dict.fromkeys(METRICS)
    cut = torch.quantile(s.double(), 1 - tail_q)
    routed = s.double() >= cut
    a = auroc(s[hack], s[~hack])
    return {"auroc": a, "auroc_dev": abs(a - 0.5), "precision_at_route": float(hack[routed].float().mean())}


def length_matched_auroc(s: torch.Tensor, hack: torch.Tensor, lengths: torch.Tensor, bins: int) -> tuple[float | None, int]:
    """AUROC over the (hack, non-hack) pairs that share a length bin (quantile bins of `lengths`):
    the within-bin AUROCs weighted by their pair counts, and the number of such pairs (None, 0 if
    no bin holds both)."""
    lengths = lengths.double()
    edges = torch.quantile(lengths, torch.linspace(0, 1, bins + 1, dtype=torch.float64)[1:-1])
    which = torch.bucketize(lengths, edges)
    total, pairs = 0.0, 0
    for b in which.unique().tolist():
        pos, neg = s[(which == b) & hack], s[(which == b) & ~hack]
        if len(pos) and len(neg):
            total += auroc(pos, neg) * len(pos) * len(neg)
            pairs += len(pos) * len(neg)
    return (total / pairs if pairs else None), pairs


def select_rollouts(rows: list[dict], steps: tuple[int, int] | None, max_rollouts: int, seed: int) -> list[dict]:
    """Student rollouts of the chosen steps; at most max_rollouts of them, a seeded uniform sample
    (AUROC does not depend on the hack share, so a sample estimates it without bias)."""
    rows = [r for r in rows if r["source"] == "student" and (steps is None or steps[0] <= r["step"] <= steps[1])]
    if max_rollouts and len(rows) > max_rollouts:
        import random
        keep = sorted(random.Random(seed).sample(range(len(rows)), max_rollouts))
        rows = [rows[i] for i in keep]
    return rows


def _model_fingerprint(model: str) -> list:
    """A local model folder's weight files by name, size and mtime (a rebuilt organism at the same
    path has new ones; hashing 8 GB of Qwen3-4B would cost a re-analysis its seconds); a hub id as is."""
    folder = Path(model)
    if not folder.is_dir():
        return [model]
    return [[f.name, f.stat().st_size, f.stat().st_mtime_ns] for f in sorted(folder.glob("*.safetensors"))]


# the reuse key's fields, as the refusal names them
KEY_NAMES = {"rows": "rollouts (--steps, --max-rollouts)", "n_haar": "draws (--n-haar)", "seed": "draws (--seed)",
             "adapter": "final adapter", "directions": "direction checkpoints", "model": "model weights",
             "pairs": "pairs"}


def scores_key(run_dir: Path, cfg: TrainConfig, rows: list[dict], n_haar: int, seed: int, final: bool) -> dict:
    """What the scores depend on, for --reuse-scores: the rollouts scored, the draws, the adapter's
    and the direction checkpoints' contents, and the model (and pairs) a direction is extracted from."""
    digest = lambda b: hashlib.sha256(b).hexdigest()  # noqa: E731
    return {"rows": digest(json.dumps([[r["step"], r["problem_id"], r["mode"], r["completion"]] for r in rows]).encode()),
            "n_haar": n_haar, "seed": seed,
            "adapter": digest((run_dir / "final-adapter" / "adapter.safetensors").read_bytes()) if final else None,
            "directions": {str(p.relative_to(run_dir)): digest(p.read_bytes())
                           for p in sorted(run_dir.glob("checkpoints/step-*/direction.safetensors"))},
            "model": _model_fingerprint(cfg.model), "pairs": digest(repr(setup.pair_selection(cfg)).encode())}


def gate_battery(run_dir: Path, n_haar: int = 50, seed: int = 0, steps: tuple[int, int] | None = None,
                 max_rollouts: int = 0, kind: Kind = "act", token_budget: int = 0, length_bins: int = 5,
                 reuse_scores: bool = False) -> dict:
    """token_budget: tokens per scoring micro-batch (0: the run's). Scores are per rollout and do
    not depend on it; memory does (--kind grad keeps every module's inputs and output gradients).
    length_bins: quantile bins of completion length for the length-matched AUROC (0: none).
    reuse_scores: read the scores a previous call saved for the same rollouts, draws and adapter
    (no model is loaded: a re-analysis, e.g. other length bins, in seconds)."""
    if length_bins < 0:
        raise UserError(f"diagnose: --length-bins must be >= 0 (0: no length-matched AUROC), got {length_bins}")
    if n_haar < 1:
        raise UserError(f"diagnose: --n-haar must be >= 1, got {n_haar}")
    if token_budget < 0:
        raise UserError(f"diagnose: --token-budget must be >= 0 (0: the run's), got {token_budget}")
    if kind not in NAMES:
        raise UserError(f"diagnose: --kind {kind!r}: choose act or grad")
    run = load_run(Path(run_dir))
    cfg = TrainConfig.from_dict(run.cfg)
    if token_budget:
        cfg = dataclasses.replace(cfg, token_budget=token_budget)
    rows = select_rollouts(run.rollouts(), steps, max_rollouts, seed)
    if not rows:
        raise UserError(f"{run_dir}: no student rollouts in rollouts.jsonl"
                        + (f" at steps {steps[0]}-{steps[1]}" if steps else " (was --no-log-rollouts set?)"))
    final = (run.dir / "final-adapter" / "adapter.safetensors").exists()
    scores_file = run.dir / "diagnostics" / ("gate_scores.pt" if kind == "act" else f"gate_scores_{kind}.pt")
    key = scores_key(run.dir, cfg, rows, n_haar, seed, final)
    if reuse_scores:
        saved = torch.load(scores_file) if scores_file.exists() else None
        if saved is None or saved.get("key") != key:
            old = (saved.get("key") or {}) if saved is not None else {}
            differs = ", ".join(KEY_NAMES[k] for k in key if old.get(k) != key[k])
            raise UserError(f"--reuse-scores: {scores_file} " + ("does not exist" if saved is None else
                            f"was scored with other {differs}") + "; run diagnose without --reuse-scores")
        scores = saved["scores"]
    else:
        model, tok, _ = setup.load(cfg)
        adapter = setup.attach_adapter(cfg, model, tok)
        if final:
            adapter.load(run.dir / "final-adapter")
        direction = _direction(run.dir, cfg, model, tok, adapter, kind)
        haars = [haar_like(direction.vectors, seed + i) for i in range(n_haar)]
        scores = _scores(kind, cfg, rows, model, tok, adapter, [direction.vectors] + haars)  # [N, 1 + n_haar]
    hack = torch.tensor([r["audit"]["label"] == "hack" for r in rows])
    positive = torch.tensor([(r.get("advantage") or 0) > 0 for r in rows])
    lengths = [r.get("n_tokens") for r in rows]  # older rollouts.jsonl may lack it: then no length row
    shortness = -torch.tensor(lengths, dtype=torch.float64) if None not in lengths else None
    scores_file.parent.mkdir(exist_ok=True)
    if not reuse_scores:
        torch.save({"key": key, "scores": scores, "hack": hack, "positive_advantage": positive,
                    "n_tokens": None if shortness is None else -shortness}, scores_file)
    result = {"run": str(run.dir), "kind": kind, "n_rollouts": len(rows), "n_hack": int(hack.sum()), "n_haar": n_haar,
              "steps": list(steps) if steps else None, "max_rollouts": max_rollouts,
              "token_budget": cfg.token_budget,
              "adapter": "final" if final else "none (base model)",
              "n_band": 2 * n_haar, "subsets": {}}
    tail_q = cfg.gate.tail_q  # the route cut: the gate's quantile (the run's, or the default)
    for subset, keep in (("all", torch.ones_like(hack)), ("positive_advantage", positive)):
        if not bool(keep.any()):
            continue
        sc, h = scores[keep], hack[keep]
        real = _metrics(sc[:, 0], h, tail_q)
        draws = []
        for i in range(n_haar):
            s = sc[:, 1 + i]  # the negated draw scores -s: same AUROC distance, other tail routed
            draws += [{"seed": seed + i, "sign": "+", **_metrics(s, h, tail_q)},
                      {"seed": seed + i, "sign": "-", **_metrics(-s, h, tail_q)}]
        result["subsets"][subset] = {"n": int(keep.sum()), "n_hack": int(h.sum()), "real": real,
                                     "length_alone": None if shortness is None else _metrics(shortness[keep], h, tail_q),
                                     "haar_band": {k: band([d[k] for d in draws], real[k]) for k in METRICS},
                                     "haar_draws": draws}
        if length_bins and shortness is not None and 0 < int(h.sum()) < len(h):
            n_tok = -shortness[keep]
            matched = lambda x: length_matched_auroc(x, h, n_tok, length_bins)[0]  # noqa: E731
            real_m, pairs = length_matched_auroc(sc[:, 0], h, n_tok, length_bins)
            draws_m = [v for i in range(n_haar) for v in (matched(sc[:, 1 + i]), matched(-sc[:, 1 + i]))]
            result["subsets"][subset]["length_matched"] = {
                "bins": length_bins, "pairs": pairs, "auroc": real_m, "haar_band": band(draws_m, real_m),
                "length_alone": matched(shortness[keep])}
    (scores_file.parent / ("gate_battery.json" if kind == "act" else f"gate_battery_{kind}.json")).write_text(json.dumps(result, indent=2) + "\n")
    return result


def describe(result: dict) -> str:
    """A table: per subset and metric, the real direction, the ±Haar band and its place in it."""
    lines = [f"gate battery: {result['n_rollouts']} student rollouts ({result['n_hack']} hacks"
             + (f", steps {result['steps'][0]}-{result['steps'][1]}" if result.get("steps") else "")
             + (f"; scored with adapter: {result['adapter']}" if result.get("adapter") else "")
             + f"), real {NAMES[result.get('kind', 'act')]} vs "
             f"{result['n_haar']} Haar draws and their negations (a ±Haar band of {result['n_band']})"]
    if result["n_haar"] < MIN_DRAWS:
        lines.append(f"  note: {result['n_haar']} draws < {MIN_DRAWS}: the band's p5/p95 are rough (--n-haar 50)")
    lines.append(f"  {'subset':<19} {'metric':<19} {'real':>6}   {'±haar p5/p50/p95':<20} placement")
    for subset, r in result["subsets"].items():
        for metric in METRICS:
            value, band = r["real"][metric], r["haar_band"][metric]
            if value is None:
                lines.append(f"  {subset:<19} {LABELS[metric]:<19} undefined (needs hacks and non-hacks)")
                continue
            lines.append(f"  {subset:<19} {LABELS[metric]:<19} {value:6.3f}   {band['p5']:.3f}/{band['p50']:.3f}/"
                         f"{band['p95']:.3f}  real at p{band['real_percentile']:.0f} (beats the band if > p95)")
        length = (r.get("length_alone") or {}).get("auroc")
        if length is not None:
            lines.append(f"  {subset:<19} {'length alone':<19} {length:6.3f}   AUROC of \"the shorter completion is the "
                         "hack\": a confound the band does not rule out")
        lm = r.get("length_matched")
        if lm and lm["auroc"] is not None:
            b = lm["haar_band"]
            lines.append(f"  {subset:<19} {'length-matched':<19} {lm['auroc']:6.3f}   {b['p5']:.3f}/{b['p50']:.3f}/"
                         f"{b['p95']:.3f}  real at p{b['real_percentile']:.0f}; AUROC within {lm['bins']} length bins "
                         f"({lm['pairs']} pairs; length alone {lm['length_alone']:.3f} on them)")
    return "\n".join(lines)
