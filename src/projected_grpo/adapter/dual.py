"""One adapter module per target Linear: a deployed block and a quarantine block, rank r each.

    y = W x + dep(x) + quar(x)            (both blocks are 0 at initialisation)

Variants (method brief section 3):
- frozen_a: A [r, d_in] fixed semi-orthonormal (a buffer), B_dep, B_quar [d_out, r] trained from 0;
  dep = (A x) B_depᵀ. The weight delta B_dep A is linear in B_dep, so a direction extracted once
  stays a fixed weight-space direction: what erase and route need.
- lora2r: A_dep, A_quar [r, d_in] and B_dep, B_quar [d_out, r] all trained; frozen copies of the
  initial values are subtracted, dep = B_dep A_dep x - B0_dep A0_dep x, so the net delta is exactly
  0 at init while A x is not (both factors get gradient from step 0).
- svd (AntiPaSTO-style): W = U diag(S) Vh (fp32 SVD, top r triplets); dep = ((x Vhᵀ) * s_dep) Uᵀ,
  trained gains s_dep, s_quar in singular-value coordinates: identity at 0 and linear in s.

Per-row masks (SGTM Table 1), one (m, d) per rollout in the batch:
    dep  <- (1 - d) * dep + d * dep.detach()      quar <- m * quar
keep = (0, 0): only the deployed block is in the forward and learns; absorb = (1, 0): both learn;
route = (1, 1): the deployed output stays in the forward but is detached, only the quarantine
learns. m = 0 multiplies the quarantine's net output by 0, so its gradient is exactly 0.

The "deployed bottleneck" h = A x (lora2r: A_dep x; svd: x Vhᵀ) is what activation directions
read; the "direction parameter" (B_dep, or s_dep for svd) is what gradient directions live in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import torch
from torch import Tensor, nn

Variant = Literal["frozen_a", "lora2r", "svd"]
BLOCKS = ("dep", "quar")


@dataclass
class Runtime:
    """State shared by every adapter module for the current forward/backward.

    Masks must stay set until backward has run: with gradient checkpointing the forward is
    recomputed during backward and reads them again."""
    m: Tensor | None = None  # [B] quarantine in the forward
    d: Tensor | None = None  # [B] deployed output detached
    token_mask: Tensor | None = None  # [B, T] completion tokens, for pooled capture
    pooled: dict[str, Tensor] = field(default_factory=dict)  # name -> [B, r] pooled bottleneck
    per_sample: bool = False
    disabled: bool = False  # the KL reference: the base model, both blocks out of the forward
    saved: dict[str, tuple[Tensor, list]] = field(default_factory=dict)  # name -> (h, [grad_out])


class DualBlockLinear(nn.Module):
    def __init__(self, base: nn.Linear, name: str, variant: Variant, rank: int, runtime: Runtime,
                 init: dict[str, Tensor]):
        super().__init__()
        self.base, self.name, self.variant, self.rank, self.runtime = base, name, variant, rank, runtime
        for p in base.parameters():
            p.requires_grad_(False)
        for key, value in init.items():  # trained tensors become Parameters, *0 copies and A/U/Vh buffers
            value = value.detach().to(torch.float32).clone()
            if "0_" in key or key in ("A", "U", "Vh"):  # frozen: initial copies and fixed bases
                self.register_buffer(key, value)
            else:
                self.register_parameter(key, nn.Parameter(value))

    # -- the two blocks -------------------------------------------------------------------
    def bottleneck(self, x: Tensor) -> Tensor:
        """Deployed-block bottleneck h, [..., r]."""
        a = {"frozen_a": "A", "lora2r": "A_dep", "svd": "Vh"}[self.variant]
        return x @ getattr(self, a).to(x.dtype).T

    def _block(self, block: str, x: Tensor, h: Tensor | None) -> Tensor:
        c = lambda t: t.to(x.dtype)  # noqa: E731  (adapter tensors are fp32; compute in x's dtype)
        if self.variant == "frozen_a":
            h = h if h is not None else x @ c(self.A).T
            return h @ c(getattr(self, f"B_{block}")).T
        if self.variant == "lora2r":
            a, b = getattr(self, f"A_{block}"), getattr(self, f"B_{block}")
            a0, b0 = getattr(self, f"A0_{block}"), getattr(self, f"B0_{block}")
            h = h if (h is not None and block == "dep") else x @ c(a).T
            return h @ c(b).T - (x @ c(a0).T) @ c(b0).T
        h = h if h is not None else x @ c(self.Vh).T
        return (h * c(getattr(self, f"s_{block}"))) @ c(self.U).T

    def forward(self, x: Tensor) -> Tensor:
        rt = self.runtime
        if rt.disabled:
            return self.base(x)
        h = self.bottleneck(x)
        dep = self._block("dep", x, h)
        quar = self._block("quar", x, None)
        if rt.per_sample and torch.is_grad_enabled() and dep.requires_grad:
            if self.name not in rt.saved:  # a checkpoint recompute must not replace the live hook
                grads: list = []
                dep.register_hook(grads.append)
                rt.saved[self.name] = (h.detach(), grads)
        if rt.d is not None:  # route rows: same forward value, no gradient into the deployed block
            d = rt.d.to(dep.dtype).view(-1, *([1] * (dep.dim() - 1)))
            dep = dep - d * (dep - dep.detach())
        if rt.m is not None:
            quar = quar * rt.m.to(quar.dtype).view(-1, *([1] * (quar.dim() - 1)))
        if rt.token_mask is not None:
            w = rt.token_mask.to(torch.float32).unsqueeze(-1)  # [B, T, 1]
            rt.pooled[self.name] = (h.detach().float() * w).sum(1) / w.sum(1).clamp_min(1.0)
        return self.base(x) + dep + quar

    # -- the decode engine's form -----------------------------------------------------------
    @torch.no_grad()
    def generation_factors(self) -> tuple[Tensor, Tensor, Tensor]:
        """(ΔW_dep [d_out, d_in], A_q [k, d_in], B_q [d_out, k]), fp32, such that
            y = (W + ΔW_dep) x + m · B_q (A_q x)
        equals this module's forward with the quarantine in (m = 1) or ablated (m = 0). The
        fast decode loop folds ΔW_dep into a merged weight and keeps the quarantine low-rank,
        so one weight serves rows sampled with and without it."""
        f = lambda k: getattr(self, k).float()  # noqa: E731
        if self.variant == "frozen_a":
            return f("B_dep") @ f("A"), f("A"), f("B_quar")
        if self.variant == "lora2r":
            delta = f("B_dep") @ f("A_dep") - f("B0_dep") @ f("A0_dep")
            return delta, torch.cat([f("A_quar"), f("A0_quar")]), torch.cat([f("B_quar"), -f("B0_quar")], 1)
        return (f("U") * f("s_dep")) @ f("Vh"), f("Vh"), f("U") * f("s_quar")

    # -- parameters by block --------------------------------------------------------------
    def block_params(self, block: str) -> dict[str, nn.Parameter]:
        return {k: p for k, p in self.named_parameters(recurse=False) if k.endswith(f"_{block}")}

    @property
    def direction_param(self) -> nn.Parameter:
        """The deployed parameter gradient directions live in (linear in the weight delta)."""
        return getattr(self, "s_dep" if self.variant == "svd" else "B_dep")

    def init_value(self, key: str) -> Tensor:
        """A trained tensor's initial value (0 for frozen_a B and svd gains)."""
        if self.variant == "lora2r":
            return getattr(self, key.replace("_", "0_", 1))
        return torch.zeros_like(getattr(self, key))

    @torch.no_grad()
    def reset_block(self, block: str):
        for key, p in self.block_params(block).items():
            p.copy_(self.init_value(key))

    def extra_repr(self) -> str:
        return f"{self.name}: {self.variant}, r={self.rank}"
