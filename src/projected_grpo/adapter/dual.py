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

    # -- the two blocks, in one pass ---------------------------------------------------------
    def forward(self, x: Tensor) -> Tensor:
        """y = W x + dep(x) + quar(x) with the row masks applied in the r-dim bottleneck, so the
        adapter costs one down-GEMM and one up-GEMM accumulated into W x (instead of a
        full-width [.., d_out] tensor per block, per frozen copy and per mask). Row scalars
        commute with the up-projection: (s h) Bᵀ = s (h Bᵀ). A route row's deployed term is
        split into (1-d) h Bᵀ + (d h) sg(B)ᵀ with h of the second part detached too, so its
        value is unchanged and no gradient reaches the deployed block or, through it, x."""
        rt = self.runtime
        y = self.base(x)
        if rt.disabled:
            return y
        c = lambda t: t.to(x.dtype)  # noqa: E731
        shape = (-1, *([1] * (x.dim() - 1)))
        keep = None if rt.d is None else (1 - rt.d).to(x.dtype).view(shape)  # deployed output learns
        sg = None if rt.d is None else rt.d.to(x.dtype).view(shape)  # deployed output detached
        m = None if rt.m is None else rt.m.to(x.dtype).view(shape)
        v = self.variant
        if v == "lora2r":
            h, h0, hq, hq0 = (x @ c(torch.cat([self.A_dep, self.A0_dep, self.A_quar, self.A0_quar])).T).split(
                self.rank, dim=-1)
            b_dep, b0_dep, b_q, b0_q = self.B_dep, self.B0_dep, self.B_quar, self.B0_quar
        else:
            h = x @ c(self.A if v == "frozen_a" else self.Vh).T  # frozen_a: both blocks share A
            hq, b_dep, b_q = (h, self.B_dep, self.B_quar) if v == "frozen_a" else (h * c(self.s_quar), None, None)
        if v == "svd":  # gains in singular-value coordinates, one shared up-projection U
            dep = h * c(self.s_dep)
            dep = dep if keep is None else keep * dep + sg * dep.detach()
            delta = (dep + (hq if m is None else m * hq)) @ c(self.U).T
        else:  # bottleneck columns z and their up-projections w: delta = z wᵀ in one GEMM
            if keep is None:
                z, w = [h], [b_dep]
            else:
                z, w = [keep * h, sg * h.detach()], [b_dep, b_dep.detach()]
            if v == "lora2r":  # minus the frozen init product: the net delta is 0 at init
                z.append(-(h0 if keep is None else keep * h0 + sg * h0.detach()))
                w.append(b0_dep)
                hq = torch.cat([hq, -hq0], dim=-1)
                b_q = torch.cat([b_q, b0_q], dim=1)
            z.append(hq if m is None else m * hq)
            w.append(b_q)
            delta = torch.cat(z, dim=-1) @ c(torch.cat(w, dim=1)).T
        if rt.per_sample and torch.is_grad_enabled() and delta.requires_grad and self.name not in rt.saved:
            # a checkpoint recompute must not replace the live hook. dL/d(delta) = dL/d(dep output)
            # before the route detach, so the saved h carries the (1 - d) factor instead
            grads: list = []
            delta.register_hook(grads.append)
            rt.saved[self.name] = ((h if keep is None else keep * h).detach(), grads)
        if rt.token_mask is not None:
            w_tok = rt.token_mask.to(torch.float32).unsqueeze(-1)  # [B, T, 1]
            rt.pooled[self.name] = (h.detach().float() * w_tok).sum(1) / w_tok.sum(1).clamp_min(1.0)
        return y + delta

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
