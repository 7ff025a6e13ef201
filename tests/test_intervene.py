"""erase / route on constructed cases: erase removes exactly the in-subspace (hack-ward)
component and leaves the rest; route parks exactly what was removed in the quarantine."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.directions.extract import DirectionSet, haar_like
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.intervene import FIRED_TOL, erase_, project, project_update_


@pytest.fixture
def case():
    g = torch.Generator().manual_seed(0)
    v = torch.linalg.qr(torch.randn(50, 3, generator=g, dtype=torch.float64))[0].T  # [3, 50] orthonormal
    grad = torch.randn(50, generator=g, dtype=torch.float64)
    grad += 2.0 * v[0] - 1.5 * v[1]  # hack-ward along axis 0, away along axis 1
    return grad, v


def test_one_sided_removes_only_the_hackward_part(case):
    g, v = case
    c = v @ g
    p = project(g, v, "one_sided")
    assert torch.allclose(v @ p.g_proj, c.clamp_max(0.0))  # V g_proj = min(c, 0): the pitfall-1 identity
    outside = torch.eye(50, dtype=torch.float64) - v.T @ v
    assert torch.allclose(outside @ p.g_proj, outside @ g)  # nothing outside span(V) changes
    assert torch.allclose(p.removed + p.g_proj, g)
    assert p.cout == pytest.approx(0.0, abs=1e-12) and p.cin > 0 and p.fired
    assert p.cin == pytest.approx(float(c.clamp_min(0).norm() / g.norm()))


def test_no_gate_and_reverse(case):
    g, v = case
    full = project(g, v, "no_gate")
    assert torch.allclose(v @ full.g_proj, torch.zeros(3, dtype=torch.float64), atol=1e-12)
    rev = project(g, v, "reverse")
    assert torch.allclose(v @ rev.g_proj, -(v @ g))  # reflected in span(V)
    kept = project(g, v, "one_sided", preserve_magnitude=True)
    assert kept.g_proj.norm() == pytest.approx(float(g.norm()))


def test_nothing_to_remove_when_the_gradient_points_away(case):
    g, v = case
    away = g - v.T @ (v @ g) - 0.1 * v.sum(0)  # every coordinate in span(V) is -0.1
    assert torch.allclose(v @ away, torch.full((3,), -0.1, dtype=torch.float64))
    p = project(away, v, "one_sided")
    assert not p.fired and torch.equal(p.g_proj, away) and p.cin == 0.0


def _grads_after_backward(seed=0):
    model, tok = build_tiny(seed=seed)
    adapter = Adapter(model, AdapterConfig(variant="frozen_a", rank=4))
    x = torch.randint(0, 256, (3, 12), generator=torch.Generator().manual_seed(1))
    logits = model(x).logits
    torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1)).backward()
    return adapter


@pytest.mark.parametrize("route", [False, True])
def test_erase_and_route_on_the_adapter(route):
    adapter = _grads_after_backward()
    shapes = {n: m.direction_param.shape.numel() for n, m in adapter.modules.items()}
    names = list(shapes)[:5]  # the floor may drop modules: only these are projected
    ds = DirectionSet("grad", haar_like({n: torch.zeros(2, shapes[n]) for n in names}, seed=3))
    before = {n: m.direction_param.grad.clone() for n, m in adapter.modules.items()}
    quar_before = {n: m.B_quar.grad.clone() for n, m in adapter.modules.items()}
    stats = erase_(adapter, ds, "no_gate", route=route)
    assert stats.modules == 5 and stats.cout == pytest.approx(0.0, abs=1e-6) and stats.cin > 0
    for n, m in adapter.modules.items():
        g_after = m.direction_param.grad.reshape(-1)
        if n not in names:  # unprojected: the deployed block trains as usual; route parks nothing here
            assert torch.equal(m.direction_param.grad, before[n])
            if route:  # pitfall 16: the quarantine's natural gradient (= B_dep's under shared A) is dropped
                assert m.B_quar.grad is None
            else:
                assert torch.equal(m.B_quar.grad, quar_before[n])
            continue
        v = ds.vectors[n]
        assert torch.allclose(v @ g_after, torch.zeros(2), atol=1e-5)
        removed = before[n].reshape(-1) - g_after
        assert torch.allclose(v.T @ (v @ before[n].reshape(-1)), removed, atol=1e-5)
        if route:  # the quarantine receives exactly what the deployed block lost
            assert torch.allclose(m.B_quar.grad.reshape(-1), removed, atol=1e-6)
        else:
            assert torch.equal(m.B_quar.grad, quar_before[n])


def test_erase_rejects_the_wrong_inputs():
    adapter = _grads_after_backward()
    with pytest.raises(ValueError, match="v_grad"):
        erase_(adapter, DirectionSet("act", {}), "one_sided")
    with pytest.raises(ValueError, match="lacks"):
        erase_(adapter, DirectionSet("grad", {"nope": torch.zeros(1, 4)}), "one_sided")


@pytest.mark.parametrize("route", [False, True])
def test_update_projection_removes_the_updates_hackward_part(route):
    """An update is a descent step: its hack-ward coordinates are where V u < 0 (pitfall 15)."""
    adapter = _grads_after_backward()
    names = list(adapter.modules)[:3]
    shapes = {n: adapter.modules[n].direction_param.shape for n in names}
    ds = DirectionSet("grad", haar_like({n: torch.zeros(2, shapes[n].numel()) for n in names}, seed=4))
    before = {n: adapter.modules[n].direction_param.detach().clone() for n in names}
    with torch.no_grad():  # an update hack-ward on axis 0 (V u < 0), anti-hack on axis 1
        for n in names:
            v = ds.vectors[n]
            u = 1e-3 * torch.randn(shapes[n].numel(), generator=torch.Generator().manual_seed(2)) - 0.01 * v[0] + 0.02 * v[1]
            adapter.modules[n].direction_param.add_(u.reshape(shapes[n]))
    u0 = {n: (adapter.modules[n].direction_param.detach() - before[n]).reshape(-1).double() for n in names}
    stats = project_update_(adapter, ds, before, "one_sided", route=route)
    hackward = torch.cat([(ds.vectors[n].double() @ u0[n]).clamp_max(0) for n in names])
    assert stats.cin == pytest.approx(float(hackward.norm() / torch.cat(list(u0.values())).norm()), rel=1e-5)
    assert stats.cout == pytest.approx(0.0, abs=1e-6) and stats.fired == 1.0
    for n in names:
        v = ds.vectors[n].double()
        u = (adapter.modules[n].direction_param.detach() - before[n]).reshape(-1).double()
        c0, c = v @ u0[n], v @ u
        assert c[0] == pytest.approx(0.0, abs=1e-7) and c[1] == pytest.approx(float(c0[1]), rel=1e-4)  # anti-hack kept
        outside = u - v.T @ c
        assert torch.allclose(outside, u0[n] - v.T @ c0, atol=1e-7)
        quar = adapter.modules[n].B_quar.detach().reshape(-1).double()
        if route:  # the quarantine moved by exactly the removed, hack-ward part
            assert torch.allclose(quar, v[0] * c0[0], atol=1e-7)
        else:
            assert torch.equal(quar, torch.zeros_like(quar))


def test_fired_has_a_tolerance_relative_to_the_gradient():
    v = torch.eye(4, dtype=torch.float64)[:1]
    g = torch.tensor([0.0, 3.0, 4.0, 0.0], dtype=torch.float64)
    assert not project(g + torch.tensor([1e-12, 0, 0, 0], dtype=torch.float64), v).fired  # rounding, not firing
    assert project(g + torch.tensor([10 * FIRED_TOL * 5, 0, 0, 0], dtype=torch.float64), v).fired
