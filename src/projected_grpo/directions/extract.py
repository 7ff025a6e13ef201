"""Extract a hack direction from a pair selection (method brief section 2).

v_grad (gradient space, per module, in the deployed direction parameter B_dep / s_dep):
  1. per completion, the gradient g of its NLL (exact per-completion gradients in one
     backward per micro-batch, adapter/dual.py; equal to zeroing and backpropagating each);
  2. D = G_hack - G_clean, one row per pair;  U, S, Vh = svd(D);  V = Vh[:k];
  3. orient each row by majority vote: sign(#{pairs: (D Vᵀ)_ij > 0} - n/2); a tie takes the
     sign of the summed projections (and + if that is 0 too), since sign(0) would zero the axis;
     (method `mean`, the brief's k = 1 alternative and routeV's direction: V = unit(mean(D)), one
     row, oriented by construction, its "singular value" |mean(D)| for the floor;)
  4. a global floor: pool the kept singular values of all modules, drop each (module, axis)
     below the `drop_bottom_frac` quantile, drop modules left empty ("a noisy module shouldn't
     be protected by having its own top direction").
v_act (activation space): with the quarantine ablated, the deployed bottleneck h pooled over
  completion tokens; v[m] = unit(mean over pairs of h_hack - h_clean), optionally t-statistics
  (mean / standard error, clamped to |t| <= 3) before the unit norm.

Controls, each one flag away: haar (random orthonormal rows, shapes matched to the real set),
haar_neg (the same seed's Haar draw negated: with haar, a ±Haar pair, so a control that
"works" by sign luck shows up as its negation failing; method brief pitfall 17), shuffled
(hack/clean sides swapped at random per pair), null (the clean-vs-clean null pair set),
reverse (the real direction negated).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import torch
from torch import Tensor

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.directions.sequences import collate, completion_nll, encode
from projected_grpo.directions.controls import (  # noqa: F401  (re-exported)
    CONTROLS_DRAWN, HAAR_CONTROLS, NULL_PAIRS, Control, Kind)
from projected_grpo.pairs.pairset import PairSelection
from projected_grpo.util import band



@dataclass(frozen=True)
class ExtractConfig:
    kind: Kind = "grad"
    """grad: v_grad (SVD of pair-gradient differences); act: v_act (mean pooled activation difference)"""
    control: Control = "real"
    """real, or a control: haar, haar_neg (the haar draw negated), shuffled, null, reverse"""
    method: Literal["svd", "mean"] = "svd"
    """v_grad: top-k SVD of D oriented by majority vote, or mean: unit(mean(D)), one axis per module"""
    k: int = 5
    """v_grad: directions kept per module before the floor (svd)"""
    drop_bottom_frac: float = 0.25
    """v_grad: global singular-value quantile below which (module, axis) is dropped"""
    normalize: Literal["mean", "sum"] = "mean"
    """completion NLL: mean over tokens, or sum (as live Dr.GRPO)"""
    tstat: bool = False
    """v_act: divide by the standard error (|t| <= 3) before the unit norm"""
    seed: int = 0
    """seed of the haar, haar_neg and shuffled controls"""
    micro_batch: int = 8
    """completions per forward/backward"""

    def __post_init__(self):
        if self.k < 1:
            raise ValueError(f"k must be >= 1, got {self.k}")
        if not 0.0 <= self.drop_bottom_frac < 1.0:
            raise ValueError(f"drop_bottom_frac must be in [0, 1), got {self.drop_bottom_frac}")


@dataclass
class DirectionSet:
    kind: Kind
    vectors: dict[str, Tensor]  # grad: [k_m, n_m] orthonormal rows; act: [r] unit
    singular_values: dict[str, Tensor] = field(default_factory=dict)  # grad: [k_m]
    meta: dict = field(default_factory=dict)

    def top(self, name: str) -> Tensor:
        v = self.vectors[name]
        return v[0] if v.dim() == 2 else v

    def save(self, path: str | Path):
        from safetensors.torch import save_file

        tensors = {n: v.contiguous().cpu() for n, v in self.vectors.items()}
        tensors.update({f"{n}::S": s.contiguous().cpu() for n, s in self.singular_values.items()})
        save_file(tensors, str(path), metadata={"kind": self.kind, "meta": json.dumps(self.meta)})

    @staticmethod
    def load(path: str | Path) -> "DirectionSet":
        from safetensors import safe_open

        with safe_open(str(path), "pt") as f:
            md = f.metadata()
            tensors = {k: f.get_tensor(k) for k in f.keys()}
        vectors = {k: v for k, v in tensors.items() if "::" not in k}
        sv = {k.split("::")[0]: v for k, v in tensors.items() if k.endswith("::S")}
        return DirectionSet(md["kind"], vectors, sv, json.loads(md["meta"]))


# ---------------------------------------------------------------------------------- inputs

def pair_sequences(tok, pairs: PairSelection, control: Control = "real", seed: int = 0):
    """(hack_seqs, clean_seqs): with `shuffled`, each pair's sides swap with probability 1/2."""
    rng = random.Random(seed)
    hack, clean = [], []
    for p in pairs.pairs:
        a, b = encode(tok, p.prompt, p.hack), encode(tok, p.prompt, p.clean)
        if control == "shuffled" and rng.random() < 0.5:
            a, b = b, a
        hack.append(a)
        clean.append(b)
    return hack, clean


def _device(model):
    return next(model.parameters()).device


def per_completion_grads(model, tok, adapter: Adapter, seqs, cfg: ExtractConfig) -> dict[str, Tensor]:
    """name -> [n, numel]: each completion's NLL gradient w.r.t. the direction parameter."""
    out: dict[str, list[Tensor]] = {n: [] for n in adapter.modules}
    for i in range(0, len(seqs), cfg.micro_batch):
        ids, attn, comp = collate(seqs[i:i + cfg.micro_batch], tok.pad_token_id, _device(model))
        for p in adapter.parameters():
            p.grad = None
        with adapter.per_sample():
            completion_nll(model, ids, attn, comp, cfg.normalize).sum().backward()
            for n, g in adapter.per_sample_grads().items():
                out[n].append(g.reshape(g.shape[0], -1).cpu())
    for p in adapter.parameters():
        p.grad = None
    return {n: torch.cat(gs) for n, gs in out.items() if gs}


@torch.no_grad()
def pooled_activations(model, tok, adapter: Adapter, seqs, cfg: ExtractConfig) -> dict[str, Tensor]:
    """name -> [n, r]: the deployed bottleneck pooled over each completion's tokens."""
    out: dict[str, list[Tensor]] = {n: [] for n in adapter.modules}
    for i in range(0, len(seqs), cfg.micro_batch):
        ids, attn, comp = collate(seqs[i:i + cfg.micro_batch], tok.pad_token_id, _device(model))
        with adapter.capture(comp) as pooled:
            model(input_ids=ids, attention_mask=attn)
        for n, h in pooled.items():
            out[n].append(h.cpu())
    return {n: torch.cat(hs) for n, hs in out.items()}


# ---------------------------------------------------------------------------------- math

def orient(d: Tensor, v: Tensor) -> Tensor:
    """Flip each row of v so that most pairs' differences project positively on it."""
    proj = d @ v.T  # [n_pairs, k]
    votes = (proj > 0).sum(0).float() - d.shape[0] / 2
    tie = torch.where(proj.sum(0) >= 0, 1.0, -1.0)
    sign = torch.where(votes > 0, 1.0, torch.where(votes < 0, -1.0, tie))
    return v * sign[:, None]


def top_singular(d: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """(S[:k], Vh[:k]) of d, [n, m]. For a wide d (n pairs << m parameters) from the n x n Gram
    matrix d dᵀ = U S² Uᵀ, Vh = S⁻¹ Uᵀ d: exact, and far cheaper than an SVD of d (105 s -> 5 s
    for Qwen3-4B's 252 modules). Singular values below 1e-6 of the largest carry no direction
    (the Gram's rounding noise is ~1e-8 relative there) and are cut."""
    n, m = d.shape
    if n > m:
        _, s, vh = torch.linalg.svd(d, full_matrices=False)
    else:
        evals, evecs = torch.linalg.eigh(d @ d.T)
        s = evals.flip(0).clamp_min(0.0).sqrt()
        vh = (evecs.flip(1).T @ d) / s.clamp_min(1e-300)[:, None]
    keep = min(k, int((s > s[0] * 1e-6).sum()) if s[0] > 0 else 0)
    return s[:keep], vh[:keep]


def mean_direction(d: Tensor) -> tuple[Tensor, Tensor]:
    """(|mean(D)|, unit(mean(D))) as a one-axis (S, V): descent along the gradient it names
    lowers the pairs' mean NLL(hack) - NLL(clean) to first order, by construction."""
    mean = d.mean(0)
    norm = mean.norm()
    if norm <= 0:
        return mean.new_zeros(0), mean.new_zeros(0, d.shape[1])
    return norm[None], (mean / norm)[None]


def grad_directions(diffs: dict[str, Tensor], k: int, drop_bottom_frac: float, device=None, method: str = "svd"):
    """Per-module top-k right singular vectors of D, oriented (or the unit mean difference),
    then the global floor. Returns (vectors, singular values, fraction of (module, axis) kept)."""
    vecs, svals = {}, {}
    for name, d in diffs.items():
        d = d.to(device or d.device, torch.float64)
        if method == "mean":
            s, vh = mean_direction(d)
        else:
            s, vh = top_singular(d, k)
            vh = orient(d, vh) if len(s) else vh
        if len(s):
            vecs[name], svals[name] = vh.float().cpu(), s.float().cpu()
    pooled = torch.cat(list(svals.values()))
    floor = torch.quantile(pooled.double(), drop_bottom_frac).item() if drop_bottom_frac > 0 else -1.0
    kept_v, kept_s = {}, {}
    for name in vecs:
        keep = svals[name] >= floor
        if keep.any():
            kept_v[name], kept_s[name] = vecs[name][keep], svals[name][keep]
    if not kept_v:
        raise ValueError("the noise floor dropped every module: lower drop_bottom_frac")
    return kept_v, kept_s, sum(len(s) for s in kept_s.values()) / len(pooled)


def act_directions(h_hack: dict[str, Tensor], h_clean: dict[str, Tensor], tstat: bool) -> dict[str, Tensor]:
    out = {}
    for name in h_hack:
        diff = (h_hack[name] - h_clean[name]).double()
        v = diff.mean(0)
        if tstat:
            se = diff.std(0, unbiased=True) / diff.shape[0] ** 0.5
            v = (v / se.clamp_min(1e-12)).clamp(-3.0, 3.0)
        out[name] = (v / v.norm().clamp_min(1e-12)).float()
    return out


def haar_like(vectors: dict[str, Tensor], seed: int, negate: bool = False) -> dict[str, Tensor]:
    """Random orthonormal rows (Haar on the Stiefel manifold) with each module's shape; with
    negate, the same draw times -1 (haar_neg: the draw's sign partner)."""
    out = {}
    for name, v in vectors.items():
        gen = torch.Generator().manual_seed(int(hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:8], 16))
        rows = v.reshape(-1, v.shape[-1])
        g = torch.randn(rows.shape[1], rows.shape[0], generator=gen, dtype=torch.float64)
        q, r = torch.linalg.qr(g)
        q = q * torch.sign(torch.diagonal(r))[None, :]  # the sign fix that makes QR Haar-distributed
        out[name] = (-q.T if negate else q.T).float().reshape(v.shape)
    return out


# ---------------------------------------------------------------------------------- scoring

def scores(ds: DirectionSet, per_completion: dict[str, Tensor]) -> Tensor:
    """A score per completion: sum over modules of <feature, top direction>; features are
    per-completion gradients (grad) or pooled activations (act)."""
    total = None
    for name in ds.vectors:
        s = per_completion[name].float() @ ds.top(name).float()
        total = s if total is None else total + s
    return total


def auroc(pos, neg) -> float:
    """P(score of a random positive > score of a random negative), ties count 1/2 (NaN if a side
    is empty). From mean ranks (Mann-Whitney): O(n log n), where the pairwise form would need
    an n_pos x n_neg matrix (a whole run's rollouts: gigabytes)."""
    pos, neg = torch.as_tensor(pos, dtype=torch.float64), torch.as_tensor(neg, dtype=torch.float64)
    if not len(pos) or not len(neg):
        return float("nan")
    _, inverse, counts = torch.unique(torch.cat([pos, neg]), return_inverse=True, return_counts=True)
    mean_rank = counts.cumsum(0) - (counts - 1) / 2  # 1-based mean rank of each distinct value
    rank_sum = float(mean_rank[inverse[:len(pos)]].sum())
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


# ---------------------------------------------------------------------------------- entry

def _meta(model_id: str, adapter: Adapter, pairs: PairSelection, cfg: ExtractConfig) -> dict:
    return {"model": model_id, "adapter": asdict(adapter.cfg), "pairs": pairs.selector,
            "pairs_sha256": pairs.sha256, "n_pairs": len(pairs.pairs), **asdict(cfg)}


def cache_path(out_dir: str | Path, meta: dict) -> Path:
    key = hashlib.sha256(json.dumps(meta, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return Path(out_dir) / f"{meta['kind']}-{meta['control']}-{key}.safetensors"


def extract(model, tok, adapter: Adapter, pairs: PairSelection, cfg: ExtractConfig, model_id: str,
            out_dir: str | Path | None = None) -> tuple[DirectionSet, dict]:
    """(directions, diagnostics). With out_dir, a cached file with the same metadata is loaded
    instead of recomputed. The quarantine is ablated throughout (extracting through a trained
    quarantine rotates the direction off-hack; method brief section 5)."""
    meta = _meta(model_id, adapter, pairs, cfg)
    path = cache_path(out_dir, meta) if out_dir is not None else None
    if path is not None and path.exists():
        ds = DirectionSet.load(path)
        return ds, dict(ds.meta.get("diagnostics", {}), cached=str(path))
    hack_seqs, clean_seqs = pair_sequences(tok, pairs, cfg.control, cfg.seed)
    with adapter.ablated():
        if cfg.kind == "grad":
            g_hack = per_completion_grads(model, tok, adapter, hack_seqs, cfg)
            g_clean = per_completion_grads(model, tok, adapter, clean_seqs, cfg)
            diffs = {n: g_hack[n] - g_clean[n] for n in g_hack}
            vecs, svals, kept = grad_directions(diffs, cfg.k, cfg.drop_bottom_frac, _device(model), cfg.method)
            feats_hack, feats_clean = g_hack, g_clean
        else:
            feats_hack = pooled_activations(model, tok, adapter, hack_seqs, cfg)
            feats_clean = pooled_activations(model, tok, adapter, clean_seqs, cfg)
            vecs, svals, kept = act_directions(feats_hack, feats_clean, cfg.tstat), {}, 1.0
    if cfg.control in HAAR_CONTROLS:
        vecs = haar_like(vecs, cfg.seed, negate=cfg.control == "haar_neg")
    elif cfg.control == "reverse":
        vecs = {n: -v for n, v in vecs.items()}
    ds = DirectionSet(cfg.kind, vecs, svals, meta)
    s_hack, s_clean = scores(ds, feats_hack), scores(ds, feats_clean)
    diag = {"paired_accuracy": float((s_hack > s_clean).float().mean()), "auroc": auroc(s_hack, s_clean),
            "modules_kept": len(vecs), "modules_total": len(adapter.modules), "axes_kept_frac": kept}
    if svals:
        top = torch.stack([s[0] for s in svals.values()])
        diag["top_singular_value"] = {"min": float(top.min()), "median": float(top.median()), "max": float(top.max())}
    ds.meta["diagnostics"] = diag
    if path is not None:  # write-then-rename: a parallel job never reads a half-written file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        ds.save(tmp)
        os.replace(tmp, path)
    return ds, diag


def held_out(model, tok, adapter: Adapter, ds: DirectionSet, pairs: PairSelection, cfg: ExtractConfig,
             n_haar: int = 20, seed: int = 0) -> dict:
    """The direction on pairs it was not extracted from: paired accuracy (hack side scores above
    its clean side) and AUROC, beside a ±Haar band of 2 n_haar random directions of the same
    shapes (each draw and its negation), so "generalises" means "beats random directions of
    either sign", not "is above 0.5". Features as in extraction, quarantine ablated. The band does
    not rule out a confound the pairs share; `shorter_is_hack` is one: the paired accuracy of
    "the shorter completion is the hack" (ties count 1/2), the score length alone would get."""
    hack_seqs, clean_seqs = pair_sequences(tok, pairs)
    n_hack, n_clean = ([len(ids) - n_prompt for ids, n_prompt in seqs] for seqs in (hack_seqs, clean_seqs))
    shorter = sum(1.0 if h < c else 0.5 if h == c else 0.0 for h, c in zip(n_hack, n_clean)) / len(n_hack)
    features = per_completion_grads if ds.kind == "grad" else pooled_activations
    with adapter.ablated():
        f_hack, f_clean = features(model, tok, adapter, hack_seqs, cfg), features(model, tok, adapter, clean_seqs, cfg)

    not_shorter = torch.tensor([h >= c for h, c in zip(n_hack, n_clean)])  # pairs where length points the other way

    def metrics(vectors: dict[str, Tensor]) -> dict:
        d = DirectionSet(ds.kind, vectors)
        s_hack, s_clean = scores(d, f_hack), scores(d, f_clean)
        right = s_hack > s_clean
        return {"paired_accuracy": float(right.float().mean()), "auroc": auroc(s_hack, s_clean),
                "paired_accuracy_hack_not_shorter": float(right[not_shorter].float().mean()) if not_shorter.any() else None}

    real = metrics(ds.vectors)
    draws = [metrics(haar_like(ds.vectors, seed + i, negate=neg)) for i in range(n_haar) for neg in (False, True)]
    return {"pairs": pairs.selector, "n_pairs": len(pairs.pairs), "n_haar": n_haar, "real": real,
            "shorter_is_hack": shorter, "n_hack_not_shorter": int(not_shorter.sum()),
            "haar_band": {k: band([d[k] for d in draws], real[k]) for k in real}}


def basis_overlap(new: DirectionSet, old: DirectionSet) -> float:
    """mean over shared modules of |<new top axis, old top axis>|: near 1 when a refresh keeps the
    hack axis; below ~0.2 the refresh has rotated off it (grpo_proj2's guard)."""
    shared = [n for n in new.vectors if n in old.vectors]
    if not shared:
        return 0.0
    return float(sum(abs(float(new.top(n) @ old.top(n))) for n in shared) / len(shared))


def refresh(model, tok, adapter: Adapter, pairs: PairSelection, previous: DirectionSet,
            cfg: ExtractConfig, model_id: str) -> tuple[DirectionSet, float]:
    """Re-extract on the current model (quarantine ablated); returns (new set, basis_overlap)."""
    new, _ = extract(model, tok, adapter, pairs, cfg, model_id, out_dir=None)
    return new, basis_overlap(new, previous)


def describe(diag: dict, cfg: ExtractConfig) -> str:
    """Diagnostics next to what they should be."""
    real = cfg.control in ("real", "shuffled", "null")
    lines = [f"paired accuracy  {diag['paired_accuracy']:.3f}   should be "
             + ("near 1.0 for a real direction on its own pairs (in-sample); ~0.5 for shuffled/null"
                if real else "~0.5 for haar and haar_neg (1 minus each other); ~0.0 for reverse (the real one negated)"),
             f"unpaired AUROC   {diag['auroc']:.3f}   same expectations as paired accuracy",
             f"modules kept     {diag['modules_kept']}/{diag['modules_total']}"]
    if cfg.kind == "grad":
        lines.append(f"axes kept        {diag['axes_kept_frac']:.3f}   should be ~{1 - cfg.drop_bottom_frac:.2f} "
                     f"(1 - drop_bottom_frac)")
        sv = diag.get("top_singular_value")
        if sv:
            lines.append(f"top singular value per module: min {sv['min']:.3g}  median {sv['median']:.3g}  "
                         f"max {sv['max']:.3g}")
    return "\n".join(lines)
