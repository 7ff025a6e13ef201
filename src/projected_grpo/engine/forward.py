"""The Qwen3 / Llama decode forward as plain functions over decode-time weights (weights.py).

Same math as transformers' Qwen3 and Llama (RMSNorm in fp32, Qwen3's q/k norm per head where the
layer has one, RoPE, SiLU MLP); tested against both. Written as functions of tensors, not modules, so that one torch.compile of
`attn_in` / `attn_out` serves every layer, and the attention between them (the only piece whose
shape grows with the context) stays outside the compiled code and inside the CUDA graph.

Decode attention is grouped-query aware: the G = n_heads / n_kv_heads query heads that share a
key/value head are laid out as G query rows of that head, [B, H_kv, G, d], so keys and values
are read once from the cache, never repeated to n_heads.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from projected_grpo.engine.weights import LayerWeights


def rms_norm(x: Tensor, w: Tensor, eps: float) -> Tensor:
    xf = x.float()
    return w * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype)


# RoPE variants whose frequencies are fixed at load time (the dynamic ones rescale with the
# context length, which a captured decode step cannot follow).
ROPE_TYPES = ("default", "linear", "llama3")


def rope_parameters(config) -> dict:
    """The config's RoPE settings as one dict: transformers 5 keeps them in `rope_parameters`,
    older configs in `rope_theta` plus an optional `rope_scaling`."""
    p = dict(getattr(config, "rope_parameters", None) or {})
    if "rope_theta" not in p:
        p.update(getattr(config, "rope_scaling", None) or {})
        p["rope_theta"] = getattr(config, "rope_theta", 10000.0)
    p.setdefault("rope_type", p.get("type", "default"))
    return p


def unsupported_rope(config) -> str | None:
    p = rope_parameters(config)
    if p["rope_type"] not in ROPE_TYPES:
        return f"RoPE type {p['rope_type']!r} (the fast engine implements {', '.join(ROPE_TYPES)})"
    if p.get("partial_rotary_factor", getattr(config, "partial_rotary_factor", 1.0)) != 1.0:
        return "partial rotary embeddings (partial_rotary_factor != 1)"
    return None


def rope_inv_freq(config, head_dim: int) -> Tensor:
    """Inverse frequencies [head_dim / 2] in fp32, computed as transformers does for each type."""
    p = rope_parameters(config)
    why = unsupported_rope(config)
    if why:
        raise NotImplementedError(f"the fast engine does not support {why}: use --engine hf")
    inv = 1.0 / (p["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    if p["rope_type"] == "linear":
        inv = inv / p["factor"]
    elif p["rope_type"] == "llama3":  # Llama 3.1: long wavelengths slowed by `factor`, a smooth band between
        factor, lo, hi = p["factor"], p["low_freq_factor"], p["high_freq_factor"]
        old = p["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > old / lo, inv / factor, inv)
        smooth = (old / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = (wavelen >= old / hi) & (wavelen <= old / lo)
        inv = torch.where(medium, smoothed, scaled)
    return inv


def rope_tables(inv_freq: Tensor, pos: Tensor, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
    """cos, sin [..., d] for integer positions pos [...]."""
    freqs = pos[..., None].float() * inv_freq.float()
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def _rotate(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:  # x [B, T, H, d], cos [B, T, d]
    half = x.shape[-1] // 2
    rot = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos[:, :, None] + rot * sin[:, :, None]


def linear(x: Tensor, w: Tensor, b_q: Tensor | None, m: Tensor | None) -> Tensor:
    """x Wᵀ, plus the quarantine's low-rank term scaled per row by m [B, 1, 1] (1 = in the forward).
    With a quarantine, w's last k rows are A_q, so one GEMM gives both y and h = x A_qᵀ."""
    y = x @ w.T
    if b_q is None:
        return y
    k = b_q.shape[1]
    out = y[..., :-k]
    return out if m is None else out + (y[..., -k:] * m) @ b_q.T


def attn_in(x: Tensor, ln1: Tensor, w_qkv: Tensor, bq: Tensor | None, q_norm: Tensor | None,
            k_norm: Tensor | None, m: Tensor | None, cos: Tensor, sin: Tensor, n_heads: int, n_kv: int,
            eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """x [B, T, H] -> q [B, T, n_heads, d], k, v [B, T, n_kv, d] (normed where the model has q/k
    norms (Qwen3; Llama has none), rotated). Tensors are passed one by one (not as a LayerWeights)
    so a compiled version is shared by every layer."""
    b, t, _ = x.shape
    qkv = linear(rms_norm(x, ln1, eps), w_qkv, bq, m)
    d = qkv.shape[-1] // (n_heads + 2 * n_kv)
    q, k, v = qkv.split([n_heads * d, n_kv * d, n_kv * d], dim=-1)
    q, k = q.view(b, t, n_heads, d), k.view(b, t, n_kv, d)
    if q_norm is not None:
        q, k = rms_norm(q, q_norm, eps), rms_norm(k, k_norm, eps)
    return _rotate(q, cos, sin), _rotate(k, cos, sin), v.view(b, t, n_kv, d)


def attn_out(x: Tensor, attn: Tensor, w_o: Tensor, bq_o: Tensor | None, ln2: Tensor, w_gu: Tensor,
             bq_gu: Tensor | None, w_d: Tensor, bq_d: Tensor | None, m: Tensor | None, eps: float) -> Tensor:
    """Residual after attention, then the MLP block: the rest of one decoder layer."""
    x = x + linear(attn, w_o, bq_o, m)
    gate, up = linear(rms_norm(x, ln2, eps), w_gu, bq_gu, m).chunk(2, dim=-1)
    return x + linear(F.silu(gate) * up, w_d, bq_d, m)


def in_args(lw: LayerWeights) -> tuple:
    return lw.ln1, lw.qkv.w, lw.qkv.b_q, lw.q_norm, lw.k_norm


def out_args(lw: LayerWeights) -> tuple:
    return lw.o.w, lw.o.b_q, lw.ln2, lw.gu.w, lw.gu.b_q, lw.down.w, lw.down.b_q


def decode_attention(q: Tensor, k_cache: Tensor, v_cache: Tensor, valid: Tensor, scale: float,
                     kind: str = "sdpa") -> Tensor:
    """One new token per row. q [B, 1, n_heads, d]; caches [B, n_kv, L, d]; valid [B, L] bool.
    Returns [B, 1, n_heads * d]. The decode step's only attention call. kind: sdpa (fused kernel,
    fp32 scores), matmul (two batched GEMMs and a softmax: transformers' eager attention numerics,
    bf16 scores) or split_k (engine/decode_attention.py: the Triton flash-decoding kernel on CUDA,
    its PyTorch reference elsewhere; `valid` must be a prefix mask, as the engine's is)."""
    b, _, nh, d = q.shape
    n_kv = k_cache.shape[1]
    if kind == "split_k":
        from projected_grpo.engine import decode_attention as da

        lengths = valid.sum(-1, dtype=torch.int32)
        attend = da.split_k_attention if q.is_cuda and da.triton is not None else da.split_k_reference
        out = attend(q[:, 0], k_cache, v_cache, lengths, scale,
                     da.n_splits_for(b, n_kv, k_cache.shape[2]))
        return out.reshape(b, 1, nh * d)
    qg = q.reshape(b, n_kv, nh // n_kv, d)  # query head h uses kv head h // G (transformers' repeat_kv)
    if kind == "sdpa":  # the G heads act as G query positions of their kv head
        out = F.scaled_dot_product_attention(qg, k_cache, v_cache, attn_mask=valid[:, None, None, :], scale=scale)
    else:
        scores = (qg @ k_cache.transpose(-1, -2)).float() * scale  # [B, n_kv, G, L]
        scores = scores.masked_fill(~valid[:, None, None, :], float("-inf"))
        out = torch.softmax(scores, dim=-1).to(q.dtype) @ v_cache
    return out.reshape(b, 1, nh * d)


def prefill_attention(q: Tensor, k: Tensor, v: Tensor, scale: float) -> Tensor:
    """Causal attention over a right-padded prompt batch (pad keys sit after every real query).
    q [B, T, n_heads, d], k/v [B, T, n_kv, d] -> [B, T, n_heads * d]."""
    b, t, nh, d = q.shape
    rep = nh // k.shape[2]
    k, v = (z.transpose(1, 2).repeat_interleave(rep, dim=1) for z in (k, v))
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k, v, is_causal=True, scale=scale)
    return out.transpose(1, 2).reshape(b, t, nh * d)
