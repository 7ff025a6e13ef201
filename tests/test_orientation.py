"""The interventions' *effect*, not their algebra: on the tiny model with the real pair set, the
hack gap NLL(hack) - NLL(clean) over the pairs is what the method cares about.

1. Orientation: a descent step along a gradient with V g > 0 lowers the gap (the convention
   every arm relies on), for the extracted v_grad as the trainer builds it.
2. After each intervention (erase on the gradient, erase on the update, route; every gate) the
   first-order change of the gap along the *deployed* update is not toward the hack.

For (2) the direction is the mean difference (method `mean`, no floor): per module it is
exactly the gap's gradient, so the first-order change of the gap along a step u is
sum_m |∇gap_m| <v_m, u_m>, and an intervention that leaves a hack-ward coordinate in u (as the
old update projection did: it kept V u < 0) lowers it. The tolerance is float rounding: the
model runs in float64, but the adapter's parameters and the direction rows are float32 (6e-8
relative rounding), so a zero first-order change reads as at most ~1e-7 of sum_m |∇gap_m| |u_m|; the tolerance is 1e-6 of that,
while the unprojected step's change is ~0.1-1 of it.
"""

from __future__ import annotations

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.directions.extract import ExtractConfig, extract, pair_sequences
from projected_grpo.directions.sequences import collate, completion_nll
from projected_grpo.model.builders import build_tiny
from projected_grpo.pairs.pairset import select
from projected_grpo.train.arms.erase import PROJ_GATES as GATES
from projected_grpo.train.intervene import erase_, project_update_

PAIRS = "hack_pairs#weak_predicate+hack_pairs@run_tests"  # authored pairs (16), as the smoke preset uses


@pytest.fixture(scope="module")
def world():
    model, tok = build_tiny(seed=0)
    model.double()  # the gap and its gradient in float64 (the adapter's own parameters stay float32)
    adapter = Adapter(model, AdapterConfig(variant="frozen_a", rank=4, seed=0))
    # move B_dep off zero so the model is not at the symmetric init (gradients then differ per pair)
    gen = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for m in adapter.modules.values():
            m.B_dep.copy_(0.02 * torch.randn(m.B_dep.shape, generator=gen, dtype=m.B_dep.dtype))
    pairs = select(PAIRS)
    hack, clean = pair_sequences(tok, pairs)
    w = (model, tok, adapter, pairs, hack, clean)
    svd, _ = extract(model, tok, adapter, pairs, ExtractConfig(kind="grad"), "tiny")  # the trainer's default v_grad
    mean, _ = extract(model, tok, adapter, pairs, ExtractConfig(kind="grad", method="mean", drop_bottom_frac=0.0), "tiny")
    return w, {"svd": svd, "mean": mean}, gap_grad(w)


def gap(model, tok, hack, clean) -> torch.Tensor:
    """mean over pairs of NLL(hack) - NLL(clean), token-mean NLL as extraction uses."""
    def nll(seqs):
        ids, attn, comp = collate(seqs, tok.pad_token_id, "cpu")
        return completion_nll(model, ids, attn, comp, "mean")
    return (nll(hack) - nll(clean)).mean()


def gap_grad(world) -> dict[str, torch.Tensor]:
    model, tok, adapter, _, hack, clean = world
    for p in adapter.parameters():
        p.grad = None
    with adapter.ablated():
        gap(model, tok, hack, clean).backward()
    out = {n: m.direction_param.grad.detach().reshape(-1).double().clone() for n, m in adapter.modules.items()}
    for p in adapter.parameters():
        p.grad = None
    return out


def test_descent_along_a_hackward_gradient_lowers_the_hack_gap(world):
    (model, tok, adapter, pairs, hack, clean), directions, grad = world
    g_hackward = {n: v.double().sum(0) for n, v in directions["svd"].vectors.items()}  # V g > 0 on every axis
    first_order = sum(float(grad[n] @ g) for n, g in g_hackward.items())
    assert first_order > 0  # -g is a descent direction of the gap
    with torch.no_grad(), adapter.ablated():
        g0 = float(gap(model, tok, hack, clean))
        scale = 1e-2 / max(float(g.norm()) for g in g_hackward.values())
        for n, g in g_hackward.items():
            adapter.modules[n].direction_param.sub_(scale * g.float().reshape(adapter.modules[n].direction_param.shape))
        g1 = float(gap(model, tok, hack, clean))
        for n, g in g_hackward.items():
            adapter.modules[n].direction_param.add_(scale * g.float().reshape(adapter.modules[n].direction_param.shape))
    assert g1 < g0  # the step taught the hack: NLL(hack) fell relative to NLL(clean)


def _gap_change(grad: dict[str, torch.Tensor], u: dict[str, torch.Tensor]) -> float:
    """First-order change of the gap along a parameter step u (negative = toward the hack)."""
    return sum(float(grad[n] @ u[n].reshape(-1).double()) for n in u)


def _hackward_training_gradient(grad, names):
    """A live-like loss gradient with a strong hack-ward part: the GRPO gradient of the pairs with
    advantage +1 on the hack side (= ∇gap), plus noise of the same size."""
    gen = torch.Generator().manual_seed(11)
    return {n: grad[n] + grad[n].norm() * torch.randn(grad[n].shape, generator=gen, dtype=torch.float64)
            / grad[n].numel() ** 0.5 for n in names}


@pytest.mark.parametrize("gate", GATES)
@pytest.mark.parametrize("where", ["gradient", "update", "route-gradient", "route-update"])
def test_the_deployed_update_does_not_move_toward_the_hack(world, gate, where):
    (model, tok, adapter, pairs, _, _), directions, grad = world
    ds = directions["mean"]
    names = list(ds.vectors)
    assert len(names) == len(adapter.modules)  # no floor: the gap's gradient lies in span(V) on every module
    g = _hackward_training_gradient(grad, names)
    lr = 1e-3
    assert _gap_change(grad, {n: -lr * g[n] for n in names}) < 0  # unprojected, the step is hack-ward
    route = where.startswith("route")
    params = {n: adapter.modules[n].direction_param for n in names}
    saved = {n: p.detach().clone() for n, p in params.items()}
    quar0 = {n: m.B_quar.detach().clone() for n, m in adapter.modules.items()}
    try:
        if where.endswith("gradient"):  # SGD on the projected gradient: u = -lr g_proj
            for n, p in params.items():
                p.grad = g[n].to(p.dtype).reshape(p.shape).clone()
            for m in adapter.modules.values():
                m.B_quar.grad = torch.ones_like(m.B_quar)  # route must overwrite every module's quarantine gradient
            erase_(adapter, ds, gate, route=route)
            u = {n: -lr * p.grad.double() for n, p in params.items()}
            quar_step = {n: (-lr * m.B_quar.grad.double()) if m.B_quar.grad is not None else None
                         for n, m in adapter.modules.items()}
        else:  # an Adam-like update (sign-preconditioned, not parallel to g), projected afterwards
            with torch.no_grad():
                for n, p in params.items():
                    p.add_((-lr * torch.sign(g[n]) * (0.5 + g[n].abs() / g[n].abs().max())).to(p.dtype).reshape(p.shape))
            project_update_(adapter, ds, saved, gate, route=route)
            u = {n: (params[n].detach() - saved[n]).double() for n in names}
            quar_step = {n: (m.B_quar.detach() - quar0[n]).double() for n, m in adapter.modules.items()}
        change = _gap_change(grad, u)
        scale = sum(float(grad[n].norm() * u[n].norm()) for n in names)
        assert change >= -1e-6 * scale, f"{where}/{gate}: the deployed update lowers the hack gap ({change:.3g})"
        if route:  # the quarantine holds exactly the removed, hack-ward part: its step is toward the hack
            assert _gap_change(grad, {n: s for n, s in quar_step.items() if s is not None}) <= 1e-6 * scale
    finally:
        with torch.no_grad():
            for n, p in params.items():
                p.copy_(saved[n])
                p.grad = None
            for n, m in adapter.modules.items():
                m.B_quar.copy_(quar0[n])
                m.B_quar.grad = None
