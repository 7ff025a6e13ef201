"""RMSNorm as one fused kernel: `F.rms_norm` (aten::_fused_rms_norm on CUDA) in place of
transformers' eager Qwen3/Llama RMSNorm.

Why: the eager norm is six kernels (cast to fp32, pow, mean, rsqrt, multiply, cast back) and one
more for the weight, each a full read and write of the activations. An H100 profile of the
reference step's behaviour pass (docs/benchmarks.md) spent 47% of its GPU time in elementwise
kernels, the largest of them the norms' (145 norms per forward of the Qwen3-4B shape: two per
layer, Qwen3's per-head q/k norms, the final one).

The math is the same, in fp32 inside: x · rsqrt(mean(x²) + eps) · w. One rounding differs:
transformers casts the normalised x to the model's dtype before multiplying by w, the fused
kernel multiplies first and rounds once (bit-equal in fp32; about one bf16 ulp apart in bf16).
"""

from __future__ import annotations

import types

import torch.nn.functional as F
from torch import Tensor, nn

# transformers' classes with the eager formula above (a norm of any other class is left alone)
FUSABLE = ("Qwen3RMSNorm", "LlamaRMSNorm")


def _fused_forward(self: nn.Module, x: Tensor) -> Tensor:
    return F.rms_norm(x, (x.shape[-1],), self.weight, self.variance_epsilon)


def fuse_rms_norms(model: nn.Module) -> int:
    """Route every fusable norm of `model` through F.rms_norm; returns how many. Idempotent."""
    n = 0
    for m in model.modules():
        if type(m).__name__ in FUSABLE:
            m.forward = types.MethodType(_fused_forward, m)
            n += 1
    return n


def fuse_or_fail(model: nn.Module, flag: str = "--fused-norm") -> int:
    """fuse_rms_norms, or a one-line error when the model has no norm it can fuse (a flag that
    changes nothing must not look as if it did)."""
    from projected_grpo.errors import UserError

    n = fuse_rms_norms(model)
    if n == 0:
        norms = sorted({type(m).__name__ for m in model.modules() if "Norm" in type(m).__name__}) or ["none"]
        raise UserError(f"{flag}: this model has no {' or '.join(FUSABLE)} to fuse (its norms: "
                        f"{', '.join(norms)}); pass --no-fused-norm (the fast and full presets turn it on)")
    return n


def unfuse_rms_norms(model: nn.Module) -> int:
    """Back to the class's own (eager) forward; returns how many were fused."""
    n = 0
    for m in model.modules():
        if "forward" in vars(m) and getattr(m.forward, "__func__", None) is _fused_forward:
            del m.forward
            n += 1
    return n
