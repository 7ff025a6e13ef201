"""The GRPO loss against hand computations."""

import math

import pytest
import torch

from projected_grpo.train.loss import group_advantages, kl_k3, policy_loss


def test_drgrpo_and_std_advantages_by_hand():
    r = torch.tensor([3.5, 0.5, 0.5, 0.5, 3.5, 3.5, 1.0, 1.0])
    g = torch.tensor([0, 0, 0, 0, 1, 1, 2, 2])
    a = group_advantages(r, g)
    assert torch.allclose(a[:4], torch.tensor([2.25, -0.75, -0.75, -0.75]))  # mean 1.25
    assert torch.equal(a[4:], torch.zeros(4))  # zero-variance groups contribute nothing
    s = group_advantages(r, g, kind="std")
    std = math.sqrt((2.25**2 + 3 * 0.75**2) / 4)
    assert torch.allclose(s[:4], torch.tensor([2.25, -0.75, -0.75, -0.75]) / (std + 1e-4))


def test_screened_nan_rewards_leave_the_baseline():
    r = torch.tensor([3.5, float("nan"), 0.5, 0.5])
    a = group_advantages(r, torch.zeros(4, dtype=torch.long))
    assert a[1] == 0 and torch.allclose(a[[0, 2, 3]], torch.tensor([2.0, -1.0, -1.0]))


def test_policy_loss_by_hand():
    # rollout 0: A = +1, ratios e^0.5 (clipped at 1.2) and 1; rollout 1: A = -2, ratio e^-0.5 (clipped at 0.8)
    logp_old = torch.zeros(2, 3)
    logp = torch.tensor([[0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]])
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    adv = torch.tensor([1.0, -2.0])
    loss, stats = policy_loss(logp, logp_old, adv, mask, max_new_tokens=4)
    # token losses: -min(e^.5, 1.2) = -1.2 ; -min(1, 1) = -1 ; -min(e^-.5*-2, 0.8*-2) = 1.6
    assert loss.item() == pytest.approx((-1.2 - 1.0 + 1.6) / (2 * 4))
    assert stats.clip_frac == pytest.approx(2 / 3)
    assert stats.ratio_mean == pytest.approx((math.exp(0.5) + 1 + math.exp(-0.5)) / 3)
    loss_std, _ = policy_loss(logp, logp_old, adv, mask, kind="std")
    assert loss_std.item() == pytest.approx(((-1.2 - 1.0) / 2 + 1.6) / 2)


def test_dual_clip_bounds_huge_ratios_on_negative_advantages():
    logp, logp_old = torch.tensor([[3.0]]), torch.tensor([[0.0]])  # ρ = e^3 ≈ 20
    loss, _ = policy_loss(logp, logp_old, torch.tensor([-1.0]), torch.ones(1, 1), max_new_tokens=1)
    assert loss.item() == pytest.approx(3.0)  # -c·A, not 20
    loss, _ = policy_loss(logp, logp_old, torch.tensor([-1.0]), torch.ones(1, 1), max_new_tokens=1, dual_clip=None)
    assert loss.item() == pytest.approx(math.exp(3.0))


def test_gradient_at_ratio_one_is_advantage_weighted_nll():
    logp = torch.tensor([[-1.0, -2.0]], requires_grad=True)
    loss, _ = policy_loss(logp, logp.detach(), torch.tensor([2.0]), torch.ones(1, 2), max_new_tokens=2)
    loss.backward()
    assert torch.allclose(logp.grad, torch.tensor([[-1.0, -1.0]]))  # -A / max_new_tokens per token


def test_k3_kl():
    logp = torch.tensor([[0.0, -1.0]])
    assert kl_k3(logp, logp, torch.ones(1, 2)).item() == 0.0
    ref = torch.tensor([[0.5, -1.0]])
    assert kl_k3(logp, ref, torch.tensor([[1, 0]])).item() == pytest.approx(math.exp(0.5) - 0.5 - 1)


def _expected_kl_gradient(estimator: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Exact expectation over one token x ~ π_old = π of ∇θ of the KL term, by enumerating a
    6-token vocabulary: Σ_x π_old(x) ∇θ term(x). Returns it beside ∇ KL(π‖ref) and ∇ KL(ref‖π)."""
    theta = torch.tensor([0.3, -1.0, 2.0, 0.0, -3.0, 1.0], dtype=torch.float64, requires_grad=True)
    ref = torch.log_softmax(torch.tensor([1.0, 0.5, -0.5, 2.0, 1.5, -1.0], dtype=torch.float64), 0)
    logp = torch.log_softmax(theta, 0)
    old = logp.detach()
    terms = [kl_k3(logp[x].view(1, 1), ref[x].view(1, 1), torch.ones(1, 1),
                   old[x].view(1, 1) if estimator == "k3_unbiased" else None) for x in range(6)]
    (g_est,) = torch.autograd.grad(sum(old[x].exp() * t for x, t in enumerate(terms)), theta, retain_graph=True)
    p, r = logp.exp(), ref.exp()
    (g_rev,) = torch.autograd.grad((p * (logp - ref)).sum(), theta, retain_graph=True)
    (g_fwd,) = torch.autograd.grad((r * (ref - logp)).sum(), theta)
    return g_est, g_rev, g_fwd


def test_unbiased_k3_follows_the_reverse_kl_gradient_and_plain_k3_the_forward_one():
    """What the penalty is for: pull π toward π_ref along ∇KL(π‖π_ref). ρ·k3 does in expectation;
    plain k3 in the loss follows ∇KL(π_ref‖π) instead (the two differ here by far more than
    rounding). Detaching ρ would turn the first into the second and fail this test."""
    g_unb, g_rev, g_fwd = _expected_kl_gradient("k3_unbiased")
    assert torch.allclose(g_unb, g_rev, atol=1e-12)
    g_k3, _, _ = _expected_kl_gradient("k3")
    assert torch.allclose(g_k3, g_fwd, atol=1e-12)
    assert (g_rev - g_fwd).abs().max() > 0.1


def test_unbiased_k3_bounds_the_push_on_a_token_the_policy_made_rare():
    """A sampled token the policy made e^12 times rarer than the reference: plain k3 pushes its
    log-prob up with weight 1 - π_ref/π ≈ -e^12 (one such token outweighs a whole batch's policy
    gradient after clipping), ρ·k3 with weight logπ - logπ_ref = -12. Same value either way."""
    ref, mask = torch.tensor([[-1.0]]), torch.ones(1, 1)
    grads, values = [], []
    for old in (None, torch.tensor([[-13.0]])):
        logp = torch.tensor([[-13.0]], requires_grad=True)
        kl = kl_k3(logp, ref, mask, old)
        kl.backward()
        grads.append(float(logp.grad))
        values.append(float(kl))
    assert grads[0] == pytest.approx(1 - math.exp(12.0))
    assert grads[1] == pytest.approx(-12.0)
    assert values[0] == pytest.approx(values[1]) == pytest.approx(math.exp(12.0) - 12.0 - 1)


def test_unbiased_k3_keeps_its_gradient_where_the_policy_made_a_token_far_rarer_than_the_reference():
    """A teacher token (π did not sample it) that the policy finds e^22-e^40 times less likely than
    the reference: ρ·k3's gradient there is ρ·(logπ - logπ_ref), the strongest pull toward π_ref
    of the batch. Autograd through the product ρ·k3 subtracts two fp32 terms of size e^q and
    returns 0 from q ≈ 22 (garbage from q ≈ 17): the penalty would vanish exactly where it
    matters. Also at ρ != 1 (a later update of the same rollouts), and the value is unchanged."""
    mask = torch.ones(1, 1)
    for q in (17.0, 22.0, 30.0, 40.0):
        for gap in (0.0, 0.3):  # logπ - logπ_old: ρ = 1 (teacher rows, first update) and ρ = e^0.3
            logp = torch.tensor([[-45.0]], requires_grad=True)
            old, ref = logp.detach() - gap, logp.detach() + q
            kl = kl_k3(logp, ref, mask, old)
            kl.backward()
            rho = math.exp(gap)
            assert float(logp.grad) == pytest.approx(-rho * q, rel=1e-5), (q, gap)
            assert float(kl) == pytest.approx(rho * (math.exp(q) - q - 1), rel=1e-5)
    # beyond fp32's e^88 the value (logged, and in the loss) is clamped at q = 50 so the loss stays
    # finite, while the gradient keeps its full -q
    logp = torch.tensor([[-150.0]], requires_grad=True)
    kl = kl_k3(logp, logp.detach() + 120.0, mask, logp.detach())
    kl.backward()
    assert math.isfinite(float(kl)) and float(kl) == pytest.approx(math.exp(50.0) - 51.0, rel=1e-5)
    assert float(logp.grad) == pytest.approx(-120.0)


def test_a_baseline_per_sampling_mode_stops_pushing_down_the_ablated_policys_own_samples():
    """A group mixes rows of the full model (hacks: reward 3) and rows sampled with the quarantine
    ablated (reward 0.5, whatever they wrote). With the group's one mean every ablated row gets
    A < 0, so a descent step lowers the log-prob of the ablated policy's own samples every step
    (wave 0's routeA runs degenerated this way); with a baseline per sampling mode those rows,
    equally rewarded, get A = 0 and the step leaves them alone, while the full rows keep their
    signal."""
    from projected_grpo.train.loss import baseline_groups

    torch.manual_seed(0)
    group = torch.tensor([0] * 8 + [1] * 8)
    deployed = torch.tensor([False] * 6 + [True] * 2 + [False] * 6 + [True] * 2)
    rewards = torch.tensor([3.0, 3.0, 0.5, 3.0, 0.5, 3.0, 0.5, 0.5] * 2)
    tokens = torch.randint(0, 16, (16, 5))

    def after_step(by_mode):
        logits = torch.zeros(16, requires_grad=True)  # one categorical policy over 16 tokens
        adv = group_advantages(rewards, baseline_groups(group, deployed, by_mode))
        logp = torch.log_softmax(logits, -1)[tokens]
        loss, _ = policy_loss(logp, logp.detach(), adv, torch.ones_like(logp, dtype=torch.bool), max_new_tokens=5)
        loss.backward()
        with torch.no_grad():
            new = torch.log_softmax(logits - 10.0 * logits.grad, -1)[tokens]
        return adv, float((new - logp.detach())[deployed].mean()), float((new - logp.detach())[~deployed].abs().mean())

    adv_group, ablated_group, full_group = after_step(False)
    adv_mode, ablated_mode, full_mode = after_step(True)
    assert (adv_group[deployed] < 0).all() and ablated_group < -1e-3
    assert (adv_mode[deployed] == 0).all() and abs(ablated_mode) < abs(ablated_group) / 5
    for g in (0, 1):  # each (group, mode) centred on its own mean
        for d in (False, True):
            rows = (group == g) & (deployed == d)
            assert abs(float(adv_mode[rows].sum())) < 1e-5
    assert full_mode > 1e-3  # the full rows still learn
    assert torch.equal(baseline_groups(group, deployed, False), group)
