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
    m: Tensor | None = None  # [B] quarantine in the forward; None: 1 for every row
    d: Tensor | None = None  # [B] deployed output detached; None: 0 for every row
    token_mask: Tensor | None = None  # [B, T] completion tokens, for pooled capture
    pooled: dict[str, Tensor] = field(default_factory=dict)  # name -> [B, r] pooled bottleneck
    per_sample: bool = False
    disabled: bool = False  # the KL reference: the base model, both blocks out of the forward
    saved: dict[str, tuple[Tensor, list]] = field(default_factory=dict)  # name -> (h, [grad_out])
    scales: dict[tuple, tuple[Tensor, Tensor | None]] = field(default_factory=dict)  # column scales, per layout

    def set_masks(self, m: Tensor | None, d: Tensor | None):
        """Uniform masks collapse to None (m all 1, d all 0: vanilla, absorb), so every module
        skips the route term: exact, since it multiplies by 1 and adds d * (...) = 0."""
        self.m = None if m is None or bool((m == 1).all()) else m
        self.d = None if d is None or bool((d == 0).all()) else d
        self.scales = {}

    def column_scales(self, kinds: tuple[tuple[str, int], ...], rank: int, x: Tensor) -> tuple[Tensor, Tensor | None]:
        """Per-row scales of the bottleneck columns, computed once per forward for all modules.
        kinds: (block, sign) per group of `rank` columns. Returns (s, g): the columns enter the
        up-GEMM as h * s (the sign; the quarantine's also times m), and their gradient is scaled
        by g (deployed: 1 - d, quarantine: 1); g is None when no row has d > 0."""
        key = (kinds, rank, x.dtype, x.device, x.dim())
        if key not in self.scales:
            def cols(per_block: dict[str, Tensor | float], signed: bool) -> Tensor:
                parts = [torch.as_tensor(per_block[b], dtype=torch.float32, device=x.device).reshape(-1, 1)
                         .expand(-1, rank) * (sign if signed else 1) for b, sign in kinds]
                n = max(p.shape[0] for p in parts)
                c = torch.cat([p.expand(n, rank) for p in parts], dim=1).to(x.dtype)
                return c.view(-1) if n == 1 else c.view(n, *[1] * (x.dim() - 2), -1)
            s = cols({"dep": 1.0, "quar": 1.0 if self.m is None else self.m.float()}, signed=True)
            g = None if self.d is None else cols({"dep": 1 - self.d.float(), "quar": 1.0}, signed=False)
            self.scales[key] = (s, g)
        return self.scales[key]


class _ScaledGradUp(torch.autograd.Function):
    """out = y + z Wᵀ whose gradient to z and W is scaled per row and column by g:
    dL/dz = (dL/dout W) * g, dL/dW = (dL/dout)ᵀ (z * g). The route detach, d sg(dep) + (1-d) dep,
    without changing the forward's arithmetic."""

    @staticmethod
    def forward(ctx, y: Tensor, z: Tensor, W: Tensor, g: Tensor) -> Tensor:
        ctx.save_for_backward(z, W, g)
        return torch.addmm(y.flatten(0, -2), z.flatten(0, -2), W.T).view_as(y)

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        z, W, g = ctx.saved_tensors
        grad_z = (grad_out @ W) * g if ctx.needs_input_grad[1] else None
        grad_W = grad_out.flatten(0, -2).T @ (z * g).flatten(0, -2) if ctx.needs_input_grad[2] else None
        return grad_out, grad_z, grad_W, None


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
    def columns(self) -> tuple[Tensor, Tensor, tuple[tuple[str, int], ...]]:
        """Every block as bottleneck columns: delta = Σ_k sign_k (x A_kᵀ) W_kᵀ, with A [C, d_in],
        W [d_out, C] (fp32, as stored) and (block, sign) per group of r columns. The deployed
        columns come first: h[..., :r] is the deployed bottleneck (what v_act reads)."""
        if self.variant == "frozen_a":  # both blocks share A
            return torch.cat([self.A, self.A]), torch.cat([self.B_dep, self.B_quar], 1), (("dep", 1), ("quar", 1))
        if self.variant == "lora2r":  # minus the frozen init products: the net delta is 0 at init
            return (torch.cat([self.A_dep, self.A0_dep, self.A_quar, self.A0_quar]),
                    torch.cat([self.B_dep, self.B0_dep, self.B_quar, self.B0_quar], 1),
                    (("dep", 1), ("dep", -1), ("quar", 1), ("quar", -1)))
        # svd: gains in singular-value coordinates on one shared basis: (h s) Uᵀ = h (U s)ᵀ
        return torch.cat([self.Vh, self.Vh]), torch.cat([self.U * self.s_dep, self.U * self.s_quar], 1), \
            (("dep", 1), ("quar", 1))

    def forward(self, x: Tensor) -> Tensor:
        """y = W x + dep(x) + quar(x), every block and mask in one down-GEMM and one up-GEMM
        accumulated into W x: h = x Aᵀ holds all bottleneck columns; row masks scale columns
        (row scalars commute with the up-projection: (s h) Wᵀ = s (h Wᵀ)). A route row's
        deployed term is (1-d) dep + d sg(dep): its value is unchanged (the same GEMM as absorb)
        and its gradient, to the deployed block and through it to x, is scaled by 1 - d (0 for
        route). Few operators per module matter: a small model on a shared GPU is bound by their
        count (scripts/op_count.py, docs/organism-pretrained.md)."""
        rt = self.runtime
        y = self.base(x)
        if rt.disabled:
            return y
        A, W, kinds = self.columns()
        W = W.to(x.dtype)
        h = x @ A.to(x.dtype).T
        s, g = rt.column_scales(kinds, self.rank, x)
        z = h * s
        if g is None:
            out = torch.addmm(y.flatten(0, -2), z.flatten(0, -2), W.T).view_as(y)
        else:  # route rows: the same GEMM (so the same value as absorb), the gradient scaled by g
            out = _ScaledGradUp.apply(y, z, W, g)
        if rt.per_sample and torch.is_grad_enabled() and out.requires_grad and self.name not in rt.saved:
            # a checkpoint recompute must not replace the live hook. dL/d(out) = dL/d(dep output)
            # before the route detach, so the saved h carries the (1 - d) factor: z's first columns
            grads: list = []
            out.register_hook(grads.append)
            rt.saved[self.name] = ((z if g is None else z * g)[..., :self.rank].detach(), grads)
        if rt.token_mask is not None:
            w_tok = rt.token_mask.to(torch.float32).unsqueeze(-1)  # [B, T, 1]
            rt.pooled[self.name] = (h[..., :self.rank].detach().float() * w_tok).sum(1) / w_tok.sum(1).clamp_min(1.0)
        return out

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
