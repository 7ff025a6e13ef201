"""The routeA gate (method brief section 6.2): per rollout, keep / absorb / route from its
activation score against v_act.

    score   = Σ_m <pooled_m, v_act_m>        pooled deployed-bottleneck activations (quarantine ablated)
    t_lo    = q-quantile of the scores, t_hi = -(q-quantile of the negated scores), over a run-spanning buffer of past activations,
              re-scored against the *current* v_act on every call (a refresh needs no flush),
              optionally weighted by recency 0.5^(age / half_life) (vGROUT's latest code; it works
              against the early clean era anchoring the low tail, so both are exposed)
    m       = score > t_lo   (quarantine in the forward)
    d       = score >= t_hi  (deployed output detached)
low tail -> keep (0,0), middle -> absorb (1,0), high tail -> route (1,1). Until the buffer holds
`warmup` rollouts every rollout is pinned to absorb. The batch being gated joins the buffer
before the cuts are taken. The tails are symmetric: the gate does not assume where the
hack/clean split is, and it ignores the cost asymmetry of its two errors. Symmetric exactly:
the high cut is the low cut of the negated scores, so negating every score swaps keep and
route row for row (a plain (1 - q)-quantile would put one more row in the route tail).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import Tensor

from projected_grpo.directions.extract import DirectionSet

if TYPE_CHECKING:
    from projected_grpo.train.arms.route_a import GateConfig  # the gate's settings are routeA's options


@dataclass(frozen=True)
class GateDecision:
    m: Tensor  # [B] float, quarantine in the forward
    d: Tensor  # [B] float, deployed detached
    score: Tensor  # [B]
    t_lo: float
    t_hi: float
    warm: bool


def weighted_quantile(values: Tensor, weights: Tensor, q: float) -> float:
    order = values.argsort()
    v, w = values[order].double(), weights[order].double()
    cum = w.cumsum(0) / w.sum()
    return float(v[min(int(torch.searchsorted(cum, torch.tensor(q, dtype=torch.float64))), len(v) - 1)])


class ActivationGate:
    def __init__(self, cfg: GateConfig, modules: list[str]):
        self.cfg, self.modules = cfg, list(modules)
        self.acts: Tensor | None = None  # [N, M, r] pooled activations, oldest first
        self.seen = 0  # rollouts ever added (ages are measured in rollouts)
        self.born: Tensor = torch.zeros(0, dtype=torch.long)  # index of each buffered rollout

    def _stack(self, pooled: dict[str, Tensor]) -> Tensor:
        missing = [n for n in self.modules if n not in pooled]
        if missing:
            raise ValueError(f"pooled activations lack modules, e.g. {missing[:2]}")
        return torch.stack([pooled[n].detach().float().cpu() for n in self.modules], dim=1)  # [B, M, r]

    def score(self, acts: Tensor, v_act: DirectionSet) -> Tensor:
        v = torch.stack([v_act.vectors[n].float().cpu() for n in self.modules])  # [M, r]
        return torch.einsum("bmr,mr->b", acts, v)

    def __call__(self, pooled: dict[str, Tensor], v_act: DirectionSet) -> GateDecision:
        batch = self._stack(pooled)
        b = batch.shape[0]
        self.acts = batch if self.acts is None else torch.cat([self.acts, batch])[-self.cfg.buffer:]
        self.born = torch.cat([self.born, torch.arange(self.seen, self.seen + b)])[-self.cfg.buffer:]
        self.seen += b
        scores = self.score(self.acts, v_act)  # the whole buffer, re-scored against today's v_act
        mine = scores[-b:]
        if len(scores) < max(self.cfg.warmup, 1):
            ones, zeros = torch.ones(b), torch.zeros(b)
            return GateDecision(ones, zeros, mine, float("nan"), float("nan"), warm=False)
        age = (self.seen - 1 - self.born).double()
        weights = 0.5 ** (age / self.cfg.half_life) if self.cfg.half_life else torch.ones(len(scores))
        t_lo = weighted_quantile(scores, weights, self.cfg.tail_q)
        t_hi = -weighted_quantile(-scores, weights, self.cfg.tail_q)  # the mirror image of t_lo
        return GateDecision((mine > t_lo).float(), (mine >= t_hi).float(), mine, t_lo, t_hi, warm=True)

    def flush(self) -> int:
        """Empty the buffer (ages keep counting); the next batch starts it again, through the
        warm-up. For features that cannot be re-scored against a new direction. Returns how many
        rollouts were dropped."""
        dropped = 0 if self.acts is None else len(self.acts)
        self.acts, self.born = None, torch.zeros(0, dtype=torch.long)
        return dropped

    def state_dict(self) -> dict:
        return {"acts": self.acts, "born": self.born, "seen": self.seen}

    def load_state_dict(self, state: dict):
        self.acts, self.born, self.seen = state["acts"], state["born"], int(state["seen"])


def grad_scores(model, adapter, batch, directions: list[dict[str, Tensor]], modules: list[str],
                token_budget: int, normalize: str) -> Tensor:
    """[B, D, M]: each rollout's completion-NLL gradient w.r.t. each module's deployed direction
    parameter (B_dep), quarantine ablated, dotted with the first axis of each of D directions:
    routeV's gate score and the offline battery's v_grad one. Exact per rollout from one backward
    per micro-batch (adapter.per_sample: Σ_t (dL/dy_t)ᵀ (A x_t)); the adapter's .grad is left empty."""
    from projected_grpo.directions.sequences import completion_nll

    device = next(model.parameters()).device  # once, not per micro-batch
    v = {n: torch.stack([d[n][0].float() for d in directions]).to(device) for n in modules}  # per module [D, n_params]
    out = torch.zeros(len(batch), len(directions), len(modules))
    for p in adapter.parameters():
        p.grad = None
    for mb in batch.micro_batches(list(range(len(batch))), token_budget):
        ids, attn, comp = batch.rows(mb)
        with adapter.ablated(), adapter.per_sample():
            completion_nll(model, ids, attn, comp, normalize).sum().backward()
            g = adapter.per_sample_grads()
        for j, n in enumerate(modules):
            gn = g[n].reshape(len(mb), -1).float()
            out[mb, :, j] = (gn @ v[n].T).cpu()
        for p in adapter.parameters():  # whoever backpropagates next starts from zero
            p.grad = None
    return out
