"""GRPO loss pieces (method brief section 7.2), as pure functions of tensors.

    A      = r - mean_group(r)                       Dr.GRPO (default; no /σ, no length norm)
    A      = (r - mean_group(r)) / (std_group + eps)  the /σ variant (with per-rollout length norm)
    ρ      = exp(logπ - logπ_old)                     logπ_old in each rollout's own sampling mode
    L_tok  = -min(ρ A, clip(ρ, 1-ε, 1+ε) A), and for A < 0 at most -c A (dual clip, verl's clip_ratio_c)
    Dr.GRPO: loss = Σ_tokens L_tok / (n_rollouts · max_new_tokens)     (constant denominator)
    /σ:      loss = mean over rollouts of (mean over its tokens of L_tok)
    KL (k3): per token exp(q) - q - 1, q = logπ_ref - logπ, reference = the adapter disabled.
    KL (k3·ρ, "k3_unbiased"): per token ρ·(exp(q) - q - 1), ρ differentiable (DeepSeek-V3.2).

Shapes: B rollouts, T completion tokens (right-padded, `mask` marks real tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor

AdvantageKind = Literal["drgrpo", "std"]
KLEstimator = Literal["k3", "k3_unbiased"]
# ρ·k3's logged value clamps q here (e^50 ≈ 5e21 a token; a step of them stays finite in fp32),
# so one token the policy made that rare cannot turn the loss into inf; its gradient is not clamped
Q_VALUE_MAX = 50.0


def group_advantages(rewards: Tensor, group: Tensor, kind: AdvantageKind = "drgrpo", eps: float = 1e-4) -> Tensor:
    """[B] advantages from [B] rewards and [B] group ids. NaN rewards (screened rollouts) are
    left out of their group's mean and std and get advantage 0; a group whose rewards are all
    equal gives every member 0 (no learning signal, not noise)."""
    adv = torch.zeros_like(rewards)
    for g in group.unique():
        idx = (group == g) & ~rewards.isnan()
        r = rewards[idx]
        if len(r) < 2 or bool((r == r[0]).all()):
            continue
        centred = r - r.mean()
        adv[idx] = centred if kind == "drgrpo" else centred / (r.std(unbiased=False) + eps)
    return adv


def baseline_groups(group: Tensor, deployed: Tensor, by_sampling_mode: bool) -> Tensor:
    """The ids whose rows share a baseline: the prompt's group (GRPO), or with by_sampling_mode
    the group split by how each row was sampled (quarantine ablated or not; teachers with the
    full model), so that each row is measured against the mean reward of its own behaviour
    policy. With one mean, rows sampled by an ablated policy that cannot earn what the full
    model earns get A < 0 every step, whatever they wrote (docs/organism-pretrained.md, wave 0)."""
    return group * 2 + deployed.to(group.dtype) if by_sampling_mode else group


@dataclass(frozen=True)
class PolicyLossStats:
    ratio_mean: float  # mean ρ over real tokens
    clip_frac: float  # share of real tokens where the clip was active


def policy_loss(logp: Tensor, logp_old: Tensor, adv: Tensor, mask: Tensor, *, clip: float = 0.2,
                dual_clip: float | None = 3.0, kind: AdvantageKind = "drgrpo",
                max_new_tokens: int | None = None) -> tuple[Tensor, PolicyLossStats]:
    """PPO-clip loss over [B, T] token log-probs; `adv` is [B]."""
    mask = mask.to(logp.dtype)
    ratio = torch.exp(logp - logp_old)
    a = adv[:, None].to(logp.dtype)
    unclipped, clipped = ratio * a, ratio.clamp(1 - clip, 1 + clip) * a
    per_token = -torch.minimum(unclipped, clipped)
    if dual_clip is not None:  # bounds the loss of a huge ratio on a negative advantage
        per_token = torch.where(a < 0, torch.minimum(per_token, -dual_clip * a), per_token)
    if kind == "drgrpo":
        if max_new_tokens is None:
            raise ValueError("the Dr.GRPO loss divides by max_new_tokens: pass it")
        loss = (per_token * mask).sum() / (logp.shape[0] * max_new_tokens)
    else:
        loss = ((per_token * mask).sum(1) / mask.sum(1).clamp_min(1.0)).mean()
    with torch.no_grad():
        n = mask.sum().clamp_min(1.0)
        active = (clipped != unclipped).to(logp.dtype) * mask
        stats = PolicyLossStats(float((ratio * mask).sum() / n), float(active.sum() / n))
    return loss, stats


def kl_k3(logp: Tensor, logp_ref: Tensor, mask: Tensor, logp_old: Tensor | None = None) -> Tensor:
    """Mean over real tokens of exp(q) - q - 1, q = logπ_ref - logπ: >= 0, 0 iff equal.

    Without `logp_old` (plain k3) the value estimates KL(π‖π_ref), but its gradient in
    expectation over tokens sampled from π is that of the *forward* KL(π_ref‖π), with a weight
    1 - π_ref/π per token: unbounded on a sampled token the policy has made rare.
    With `logp_old` each token's term is multiplied by ρ = π/π_old (differentiable; 1 in value
    at the first update): E_π_old[∇(ρ·k3)] = ∇E_π[k3] = ∇KL(π‖π_ref), the reverse KL's gradient,
    (logπ - logπ_ref)·∇logπ per token at ρ = 1 (DeepSeek-V3.2's unbiased KL estimate).
    That gradient, ρ·(logπ - logπ_ref)·∇logπ at any ρ, is built directly rather than left to
    autograd through ρ·k3, which sums two terms of size ρ·e^q that cancel: in fp32 the result is
    wrong from q ≈ 17 and exactly 0 from q ≈ 22, i.e. on the tokens the policy has made rarest
    (teacher rows' tokens, which π did not sample), where the pull toward π_ref matters most.
    The value clamps q at Q_VALUE_MAX (the loss stays finite); the gradient does not."""
    q = logp_ref - logp
    mask = mask.to(logp.dtype)
    if logp_old is None:
        k3 = torch.exp(q) - q - 1
    else:
        rho = torch.exp(logp - logp_old)
        pull = (rho * (logp - logp_ref)).detach() * logp  # gradient ρ·(logπ - logπ_ref)·∇logπ, value aside
        qv = q.detach().clamp(max=Q_VALUE_MAX)  # the value only: e^q overflows fp32 from q ≈ 88
        value = rho.detach() * (torch.exp(qv) - qv - 1)
        k3 = value + pull - pull.detach()  # value ρ·k3, gradient that of ρ·k3 without cancellation
    return (k3 * mask).sum() / mask.sum().clamp_min(1.0)
