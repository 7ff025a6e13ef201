"""Decode-time weights: the deployed adapter merged into fused dense matrices, the quarantine
kept low-rank so one weight set serves rows sampled with it (m = 1) and without it (m = 0).

Per layer, three fused products replace seven Linears (fewer, larger GEMMs per decode step):
    qkv = x Wqkvᵀ        Wqkv = [Wq + ΔWq ; Wk + ΔWk ; Wv + ΔWv]
    gu  = x Wguᵀ         Wgu  = [Wgate + ΔWgate ; Wup + ΔWup]
    o, down              each W + ΔW
and, when some quarantine block is non-zero, y += m · ((x A_qᵀ) B_qᵀ) with the group's A_q
stacked (as extra rows of the fused weight: one GEMM yields y and h = x A_qᵀ) and B_q
block-diagonal. Rebuilt at every generate call (the adapter has moved);
costs one extra copy of the Linear weights (8 GB for Qwen3-4B in bf16), freed by release().
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from projected_grpo.adapter.dual import DualBlockLinear

GROUPS = {"qkv": ("q_proj", "k_proj", "v_proj"), "o": ("o_proj",), "gu": ("gate_proj", "up_proj"),
          "down": ("down_proj",)}


@dataclass
class Fused:
    w: Tensor  # [d_out (+ k), d_in]: the merged deployed weight, with A_q's k rows appended
    b_q: Tensor | None  # [d_out, k] quarantine up-projection (None: no quarantine here, w has no A_q rows)


@dataclass
class LayerWeights:
    ln1: Tensor
    ln2: Tensor
    q_norm: Tensor | None  # Qwen3's per-head q/k RMSNorm; None for Llama
    k_norm: Tensor | None
    qkv: Fused
    o: Fused
    gu: Fused
    down: Fused


def _linear_parts(module: nn.Module) -> tuple[Tensor, Tensor | None, Tensor | None, Tensor | None]:
    """(W, ΔW_dep, A_q, B_q) of a plain or adapted Linear; None where there is no adapter."""
    base = module.base if isinstance(module, DualBlockLinear) else module
    if not isinstance(base, nn.Linear):
        raise TypeError(f"expected a Linear, got {type(base).__name__}")
    if base.bias is not None:
        raise NotImplementedError("the fast decode loop assumes bias-free projections (Qwen3 and Llama have none)")
    if not isinstance(module, DualBlockLinear):
        return base.weight, None, None, None
    delta, a_q, b_q = module.generation_factors()
    return base.weight, delta, a_q, b_q


def _fuse(modules: list[nn.Module], dtype: torch.dtype, with_quarantine: bool) -> Fused:
    parts = [_linear_parts(m) for m in modules]
    w = torch.cat([(wt.float() + d if d is not None else wt.float()).to(dtype) for wt, d, _, _ in parts])
    quar = [(a, b) for _, _, a, b in parts if a is not None]
    if not with_quarantine or not quar:
        return Fused(w, None)
    a_rows, b_blocks, col = [], [], 0
    k_total = sum(a.shape[0] for a, _ in quar)
    for wt, _, a, b in parts:  # B_q block-diagonal: each module's rows see only its own A_q rows
        block = torch.zeros(wt.shape[0], k_total, device=wt.device)
        if a is not None:
            block[:, col:col + a.shape[0]] = b
            a_rows.append(a)
            col += a.shape[0]
        b_blocks.append(block)
    # A_q rides in the same GEMM as W: x [W; A_q]ᵀ = [y, h], one matmul fewer per group and step
    return Fused(torch.cat([w, torch.cat(a_rows).to(dtype)]), torch.cat(b_blocks).to(dtype))


def quarantine_is_zero(adapter) -> bool:
    """True when no quarantine block contributes (vanilla-style arms, or a fresh adapter): the
    decode step then skips the low-rank path entirely."""
    if adapter is None:
        return True
    return all(torch.equal(p, m.init_value(k)) for m in adapter.modules.values()
               for k, p in m.block_params("quar").items())  # at its initial value the quarantine adds 0


# Decoder layouts the forward (forward.py) implements: Qwen3 (q/k norm) and Llama (none).
MODEL_TYPES = ("qwen3", "llama")


def unsupported(model) -> str | None:
    """Why the fast engine cannot run this model, or None when it can."""
    from projected_grpo.engine.forward import unsupported_rope

    c = model.config
    if c.model_type not in MODEL_TYPES:
        return f"model type {c.model_type!r} (the fast engine implements {', '.join(MODEL_TYPES)})"
    if any(t != "full_attention" for t in getattr(c, "layer_types", None) or ["full_attention"]):
        return "sliding-window layers (the fast engine implements full attention only)"
    if getattr(c, "attention_bias", False) or getattr(c, "mlp_bias", False):
        return "biased projections (attention_bias / mlp_bias)"
    if c.hidden_act != "silu":
        return f"activation {c.hidden_act!r} (the fast engine implements silu)"
    return unsupported_rope(c)


def build_layer(layer, dtype: torch.dtype, with_quarantine: bool) -> LayerWeights:
    at, mlp = layer.self_attn, layer.mlp
    mods = {n: getattr(at, n) for n in ("q_proj", "k_proj", "v_proj", "o_proj")}
    mods.update({n: getattr(mlp, n) for n in ("gate_proj", "up_proj", "down_proj")})
    fused = {g: _fuse([mods[n] for n in names], dtype, with_quarantine) for g, names in GROUPS.items()}
    q_norm, k_norm = (getattr(at, n, None) for n in ("q_norm", "k_norm"))
    return LayerWeights(layer.input_layernorm.weight, layer.post_attention_layernorm.weight,
                        q_norm.weight if q_norm is not None else None,
                        k_norm.weight if k_norm is not None else None, **fused)


@torch.no_grad()
def build(model, dtype: torch.dtype, with_quarantine: bool) -> list[LayerWeights]:
    why = unsupported(model)
    if why:
        raise NotImplementedError(f"the fast engine does not support {why}")
    return [build_layer(layer, dtype, with_quarantine) for layer in model.model.layers]


@torch.no_grad()
def refresh(layers: list[LayerWeights], model, dtype: torch.dtype, with_quarantine: bool):
    """Rewrite the merged weights in place (captured CUDA graphs keep pointing at them), one
    layer at a time so the transient fp32 copy stays one layer's worth."""
    for lw, layer in zip(layers, model.model.layers):
        new = build_layer(layer, dtype, with_quarantine)
        for g in GROUPS:
            old_f, new_f = getattr(lw, g), getattr(new, g)
            if (old_f.b_q is None) != (new_f.b_q is None):
                raise RuntimeError("quarantine layout changed between calls: rebuild the decode weights")
            old_f.w.copy_(new_f.w)
            if old_f.b_q is not None:
                old_f.b_q.copy_(new_f.b_q)
