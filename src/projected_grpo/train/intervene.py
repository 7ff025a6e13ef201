"""Gradient interventions of the erase and route arms (method brief section 4).

Per module, g = the live gradient of the deployed direction parameter (flattened), V [k, n]
the module's hack directions (orthonormal rows):

    c        = V g
    cin      = |relu(c)| / |g|          the hack-ward fraction (relu before aggregation)
    c_use    = relu(c)  (one_sided, default) | c (no_gate: full projection) | 2c (reverse: reflect)
    removed  = overshoot · Vᵀ c_use
    g_proj   = g - removed              (optionally rescaled to |g|: preserve_magnitude)
    cout     = |relu(V g_proj)| / |g_proj|

erase steps on g_proj; route also sets the quarantine's gradient to `removed` (frozen_a: the
blocks share A, so the same coordinates are the same weight-space direction) and to exactly zero
on every module the direction does not project (pitfall 16: with the quarantine in the forward
and A shared, B_quar's natural gradient equals B_dep's there, and deployment would delete half
of what those modules learnt, a shrinkage effect any direction shares). Pitfall 1: under
one_sided with overshoot 1, V g_proj = min(c, 0), so cout = 0 by identity, not by efficacy.
`fired`: the share of modules whose largest hack-ward coordinate exceeds FIRED_TOL · |g|.

Signs (pitfall 15). `V g > 0` means the *loss gradient* g is hack-ward: a descent step along -g
lowers NLL(hack) - NLL(clean). An optimizer update is a descent step, u ≈ -lr·P·g, so its
hack-ward part is where V u < 0. `project_update_` therefore projects the gradient-like -u with
the rule above and negates back: one_sided removes exactly the update's hack-ward coordinates,
cin_u is the hack-ward fraction of the update, and route parks exactly that removed part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import Tensor

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.directions.extract import DirectionSet

if TYPE_CHECKING:  # the projection gates are erase's option (its module names them)
    from projected_grpo.train.arms.erase import ProjGate as Gate
# A module "fires" when a hack-ward coordinate exceeds this fraction of |g|. fp32 rounding of a
# projected gradient leaves coordinates of ~1e-7·sqrt(n)·|g| (< 3e-5 for n <= 1e5 parameters per
# module); the isotropic null of a real one is ~sqrt(k/n) >= 7e-3 there. 1e-4 sits between the two.
FIRED_TOL = 1e-4


@dataclass(frozen=True)
class Projection:
    g_proj: Tensor
    removed: Tensor
    cin: float
    cout: float
    fired: bool


def project(g: Tensor, v: Tensor, gate: Gate = "one_sided", overshoot: float = 1.0,
            preserve_magnitude: bool = False) -> Projection:
    """Project one flattened gradient g [n] against directions v [k, n] (orthonormal rows)."""
    g64, v64 = g.double(), v.double()
    c = v64 @ g64
    norm = g64.norm().clamp_min(1e-30)
    c_use = {"one_sided": c.clamp_min(0.0), "no_gate": c, "reverse": 2.0 * c}[gate]
    removed = overshoot * (v64.T @ c_use)
    g_proj = g64 - removed
    if preserve_magnitude:
        g_proj = g_proj * (norm / g_proj.norm().clamp_min(1e-30))
    cout = float((v64 @ g_proj).clamp_min(0.0).norm() / g_proj.norm().clamp_min(1e-30))
    fired = bool(c.max() > FIRED_TOL * norm) if len(c) else False
    return Projection(g_proj.to(g.dtype), removed.to(g.dtype), float(c.clamp_min(0.0).norm() / norm), cout, fired)


@dataclass(frozen=True)
class InterventionStats:
    cin: float  # over all projected modules: |relu(c)| / |g| with the parts concatenated
    cout: float
    fired: float  # share of projected modules with a hack-ward coordinate above FIRED_TOL · |g|
    modules: int


def _check(adapter: Adapter, directions: DirectionSet, route: bool):
    if directions.kind != "grad":
        raise ValueError(f"erase/route project gradients: need a v_grad direction set, got {directions.kind!r}")
    missing = [n for n in directions.vectors if n not in adapter.modules]
    if missing:
        raise ValueError(f"direction set names modules this adapter lacks, e.g. {missing[:2]}")
    if route and adapter.cfg.variant != "frozen_a":
        raise ValueError("route parks the removed component in B_quar: needs the frozen_a variant")


def _project_modules(flat: dict[str, Tensor], directions: DirectionSet, gate: Gate, overshoot: float,
                     preserve_magnitude: bool) -> tuple[dict[str, Projection], InterventionStats]:
    """Project each module's flattened vector; cin/cout pool the modules' parts."""
    pos_in = pos_out = norm_in = norm_out = 0.0
    out, fired = {}, 0
    for name, g in flat.items():
        v = directions.vectors[name].to(g.device)
        p = out[name] = project(g, v, gate, overshoot, preserve_magnitude)
        c_in = (v.double() @ g.double()).clamp_min(0)
        c_out = (v.double() @ p.g_proj.double()).clamp_min(0)
        pos_in, norm_in = pos_in + float(c_in.square().sum()), norm_in + float(g.double().square().sum())
        pos_out, norm_out = pos_out + float(c_out.square().sum()), norm_out + float(p.g_proj.double().square().sum())
        fired += p.fired
    n = len(directions.vectors)
    return out, InterventionStats(cin=(pos_in / max(norm_in, 1e-60)) ** 0.5, cout=(pos_out / max(norm_out, 1e-60)) ** 0.5,
                                  fired=fired / max(n, 1), modules=n)


@torch.no_grad()
def erase_(adapter: Adapter, directions: DirectionSet, gate: Gate = "one_sided", route: bool = False,
           overshoot: float = 1.0, preserve_magnitude: bool = False) -> InterventionStats:
    """In place on the deployed blocks' .grad. Modules the direction set dropped (noise floor)
    keep their deployed gradient. With route, the quarantine's gradient becomes exactly the
    removed part on projected modules and None (no step: it stays at init) everywhere else."""
    _check(adapter, directions, route)
    grads = {n: adapter.modules[n].direction_param.grad for n in directions.vectors}
    flat = {n: g.reshape(-1) for n, g in grads.items() if g is not None}
    projections, stats = _project_modules(flat, directions, gate, overshoot, preserve_magnitude)
    for name, p in projections.items():
        param = adapter.modules[name].direction_param
        param.grad.copy_(p.g_proj.reshape(param.shape))
    if route:
        for name, module in adapter.modules.items():
            p = projections.get(name)
            module.B_quar.grad = None if p is None else p.removed.reshape(module.B_quar.shape).clone()
    return stats


def direction_grads(adapter: Adapter, directions: DirectionSet) -> dict[str, Tensor]:
    """A copy of each projected module's live deployed gradient, flattened (a snapshot)."""
    out = {}
    for name in directions.vectors:
        g = adapter.modules[name].direction_param.grad
        if g is not None:
            out[name] = g.detach().reshape(-1).clone()
    return out


def cin_of(grads: dict[str, Tensor], directions: DirectionSet) -> float:
    """|relu(V g)| / |g| over all modules with the parts concatenated (as erase_ reports cin)."""
    pos = norm = 0.0
    for name, g in grads.items():
        c = (directions.vectors[name].to(g.device).double() @ g.double()).clamp_min(0)
        pos, norm = pos + float(c.square().sum()), norm + float(g.double().square().sum())
    return (pos / norm) ** 0.5 if norm > 0 else float("nan")


@torch.no_grad()
def project_update_(adapter: Adapter, directions: DirectionSet, before: dict[str, Tensor], gate: Gate = "one_sided",
                    route: bool = False, overshoot: float = 1.0, preserve_magnitude: bool = False) -> InterventionStats:
    """Project the optimizer's *update* u = p - p_before of each deployed direction parameter
    (AdamW's momentum and preconditioner otherwise re-introduce what erase removed from the
    gradient; pitfall 2). u is a descent step, so -u is projected with the gradient's rule
    (pitfall 15) and the stats are the update's hack-ward fractions. With route, exactly the
    removed hack-ward part of the update moves into B_quar; no other quarantine moves."""
    _check(adapter, directions, route)
    params = {n: adapter.modules[n].direction_param for n in directions.vectors}
    descent = {n: -(p - before[n].reshape(p.shape)).reshape(-1) for n, p in params.items()}  # -u: gradient-like
    projections, stats = _project_modules(descent, directions, gate, overshoot, preserve_magnitude)
    for name, p in projections.items():
        param = params[name]
        param.copy_(before[name].reshape(param.shape) - p.g_proj.reshape(param.shape))  # u_kept = -(g-like kept)
        if route:
            adapter.modules[name].B_quar.sub_(p.removed.reshape(param.shape))  # the update's removed part is -removed
    return stats
