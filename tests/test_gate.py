"""The routeA gate: masks follow the buffer's quantile cuts; warm-up, re-scoring after a
direction change, the ring buffer and recency weighting."""

import pytest
import torch

from projected_grpo.directions.extract import DirectionSet
from projected_grpo.train.arms.route_a import GateConfig
from projected_grpo.train.gate import ActivationGate, weighted_quantile

MODS = ["a", "b"]


def pooled(scores):
    """Activations whose score against the unit direction e0 (both modules) is `scores`."""
    s = torch.tensor(scores, dtype=torch.float32)
    a = torch.zeros(len(s), 3)
    a[:, 0] = s / 2
    return {"a": a, "b": a.clone()}


def v(axis=0):
    e = torch.zeros(3)
    e[axis] = 1.0
    return DirectionSet("act", {"a": e, "b": e.clone()})


def test_masks_follow_the_thresholds():
    gate = ActivationGate(GateConfig(tail_q=0.1, buffer=1000), MODS)
    scores = [float(i) for i in range(100)]  # 0..99
    dec = gate(pooled(scores), v())
    assert dec.warm and dec.t_lo == pytest.approx(9.0) and dec.t_hi == pytest.approx(90.0)
    keep = (dec.m == 0) & (dec.d == 0)
    route = (dec.m == 1) & (dec.d == 1)
    absorb = (dec.m == 1) & (dec.d == 0)
    assert torch.equal(keep, dec.score <= dec.t_lo) and torch.equal(route, dec.score >= dec.t_hi)
    assert int(keep.sum()) == 10 and int(route.sum()) == 10 and int(absorb.sum()) == 80  # symmetric tails
    assert not ((dec.m == 0) & (dec.d == 1)).any()  # (0, 1) is never produced


@pytest.mark.parametrize("n", [7, 10, 33, 100])
def test_negating_the_scores_swaps_keep_and_route_exactly(n):
    scores = torch.randn(n, generator=torch.Generator().manual_seed(n)).tolist()
    up = ActivationGate(GateConfig(tail_q=0.1, buffer=1000), MODS)(pooled(scores), v())
    down = ActivationGate(GateConfig(tail_q=0.1, buffer=1000), MODS)(pooled([-x for x in scores]), v())
    keep_up, route_up = up.m == 0, up.d == 1
    keep_down, route_down = down.m == 0, down.d == 1
    assert torch.equal(keep_up, route_down) and torch.equal(route_up, keep_down)
    assert int(keep_up.sum()) == int(route_up.sum())


def test_warmup_pins_absorb():
    gate = ActivationGate(GateConfig(warmup=50), MODS)
    dec = gate(pooled([0.0, 100.0, -100.0]), v())
    assert not dec.warm and torch.equal(dec.m, torch.ones(3)) and torch.equal(dec.d, torch.zeros(3))
    gate(pooled([float(i) for i in range(47)]), v())
    assert gate(pooled([1.0]), v()).warm


def test_buffer_is_rescored_against_the_current_direction():
    gate = ActivationGate(GateConfig(tail_q=0.25), MODS)
    acts = pooled([1.0, 2.0, 3.0, 4.0])
    acts["a"][:, 1] = torch.tensor([40.0, 30.0, 20.0, 10.0])  # the other axis ranks them in reverse
    acts["b"] = acts["a"].clone()
    first = gate(acts, v(0))
    again = gate({k: t[:1] for k, t in acts.items()}, v(1))  # after a "refresh" to axis 1
    assert first.score.argmax() == 3 and again.t_hi >= 60.0  # thresholds come from re-scored history


def test_ring_buffer_and_recency_weighting():
    gate = ActivationGate(GateConfig(buffer=5), MODS)
    gate(pooled([1.0] * 4), v())
    gate(pooled([2.0] * 4), v())
    assert gate.acts.shape[0] == 5 and gate.seen == 8
    vals, w_flat = torch.tensor([0.0, 10.0]), torch.tensor([1.0, 1.0])
    assert weighted_quantile(vals, w_flat, 0.5) == 0.0
    assert weighted_quantile(vals, torch.tensor([0.1, 1.0]), 0.5) == 10.0  # recent (heavier) value wins
    recent = ActivationGate(GateConfig(tail_q=0.2, half_life=2.0), MODS)
    recent(pooled([0.0] * 20), v())
    dec = recent(pooled([10.0] * 5), v())  # the old era decays: the low cut moves up to the new scores
    assert dec.t_lo == pytest.approx(10.0)
    flat = ActivationGate(GateConfig(tail_q=0.2), MODS)
    flat(pooled([0.0] * 20), v())
    assert flat(pooled([10.0] * 5), v()).t_lo == pytest.approx(0.0)


def test_config_validation():
    with pytest.raises(ValueError, match="tail_q"):
        GateConfig(tail_q=0.6)
