"""Split-K ("flash-decoding") attention for one-token queries over the static KV cache.

    grid (B * n_kv, n_splits): a program reads one KV head's slice of the context once, for the
    G = n_heads / n_kv query heads that share it (grouped-query attention), keeping an online
    softmax (running max m, normaliser l, accumulator acc) over BLOCK_N keys at a time; it
    writes its partial (m, l, acc). `combine` merges the splits by their log-sum-exp weights:
        M = max_s m_s,   out = sum_s e^(m_s - M) acc_s / sum_s e^(m_s - M) l_s

Why (issue 22): at decode every row brings one query token, so a prefill kernel (cuDNN flash,
what sdpa picks) runs tiles of 64+ query rows with G of them used, while the step is bound by
reading the KV cache. Splitting the context gives B * n_kv * n_splits programs, enough to keep
every SM streaming K and V even at small batches. Rows have their own lengths (`lengths`: the
cache slots written so far; the valid mask is a prefix, see engine/fast.py), so a split past a
row's end reads nothing.

With one split (large batches) the kernel normalises its own output; with several, `_combine`
merges them in a second launch (the PyTorch `combine` is the reference of that merge).

`split_k_reference` is the same algorithm in PyTorch: CPU tests compare it with sdpa, and the
Triton kernel with it (in Triton's interpreter when no GPU is present).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

try:  # Triton ships with CUDA builds of torch; CPU-only installs run the reference
    import triton
    import triton.language as tl
except ImportError:  # pragma: no cover - depends on the install
    triton = None

@dataclass(frozen=True)
class KernelConfig:
    """Launch settings of the kernel; `pgrpo bench attention` times a grid of them on a card."""
    block_n: int = 64          # keys per inner iteration (tl.dot needs >= 16)
    num_warps: int = 4
    num_stages: int = 2        # software-pipelined K/V loads in flight
    target_programs: int = 528  # split the context until batch * n_kv * splits reaches this (~4 per SM on an H100)


# The fastest of 24 settings on an H100 at B=128, Qwen3-4B heads, context 1792 (docs/benchmarks.md,
# `pgrpo bench attention`): 298 us a layer, 2.94 TB/s of live K/V (sdpa: 363 us). The 12 settings
# with one split were all within 3% of it; two splits cost 5%.
DEFAULT = KernelConfig(block_n=64, num_warps=4, num_stages=4, target_programs=528)


def n_splits_for(batch: int, n_kv: int, ctx: int, config: KernelConfig = DEFAULT) -> int:
    """Splits of the context so that batch * n_kv * splits reaches config.target_programs (at most
    one split per block of keys). Constant for a (batch, ctx) bucket, so CUDA graphs capture it."""
    return max(1, min(math.ceil(ctx / config.block_n), math.ceil(config.target_programs / max(1, batch * n_kv))))


def combine(m: Tensor, l: Tensor, acc: Tensor) -> Tensor:
    """Merge split partials. m, l [..., S, G]; acc [..., S, G, d] -> [..., G, d] (fp32). A split
    that saw no key has m = -inf, l = 0 and weight 0."""
    big = m.amax(dim=-2, keepdim=True)
    w = torch.where(torch.isfinite(m), torch.exp(m - big), torch.zeros_like(m))
    return (w[..., None] * acc).sum(-3) / (w * l).sum(-2)[..., None]


def split_k_reference(q: Tensor, k_cache: Tensor, v_cache: Tensor, lengths: Tensor, scale: float,
                      n_splits: int) -> Tensor:
    """q [B, n_heads, d]; caches [B, n_kv, L, d]; lengths [B] -> [B, n_heads, d] in q's dtype."""
    b, nh, d = q.shape
    n_kv, length = k_cache.shape[1], k_cache.shape[2]
    g = nh // n_kv
    split = math.ceil(length / n_splits)
    qg = q.float().reshape(b, n_kv, g, d)
    ms, ls, accs = [], [], []
    for s in range(n_splits):
        lo, hi = s * split, min((s + 1) * split, length)
        k, v = k_cache[:, :, lo:hi].float(), v_cache[:, :, lo:hi].float()
        scores = (qg @ k.transpose(-1, -2)) * scale  # [B, n_kv, G, n]
        valid = (torch.arange(lo, hi, device=q.device)[None] < lengths[:, None])[:, None, None, :]
        scores = scores.masked_fill(~valid, float("-inf"))
        m = scores.amax(-1)  # [B, n_kv, G]
        p = torch.where(valid, torch.exp(scores - torch.where(torch.isfinite(m), m, 0.0)[..., None]), 0.0)
        ms.append(m)
        ls.append(p.sum(-1))
        accs.append(p @ v)
    out = combine(torch.stack(ms, -2), torch.stack(ls, -2), torch.stack(accs, -3))
    return out.reshape(b, nh, d).to(q.dtype)


if triton is not None:

    @triton.jit
    def _partials(Q, K, V, LEN, M, L, ACC, O, scale, split_len, n_kv,
                  sqb, sqh, skb, skh, skl, svb, svh, svl, smb, sms, sob, soh,
                  G: tl.constexpr, G_PAD: tl.constexpr, D: tl.constexpr, BLOCK: tl.constexpr,
                  SINGLE: tl.constexpr):
        bh, s = tl.program_id(0), tl.program_id(1)
        b, h = bh // n_kv, bh % n_kv
        end = tl.minimum((s + 1) * split_len, tl.load(LEN + b))
        rows, cols = tl.arange(0, G_PAD), tl.arange(0, D)
        q = tl.load(Q + b * sqb + (h * G + rows)[:, None] * sqh + cols[None, :], mask=(rows < G)[:, None], other=0.0)
        m = tl.full([G_PAD], float("-inf"), tl.float32)
        l = tl.zeros([G_PAD], tl.float32)
        acc = tl.zeros([G_PAD, D], tl.float32)
        for start in range(s * split_len, end, BLOCK):  # every block starts below `end`: >= 1 valid key
            n = start + tl.arange(0, BLOCK)
            keep = n < end
            k = tl.load(K + b * skb + h * skh + n[:, None] * skl + cols[None, :], mask=keep[:, None], other=0.0)
            scores = tl.dot(q, tl.trans(k)) * scale  # [G_PAD, BLOCK], fp32 accumulation
            scores = tl.where(keep[None, :], scores, float("-inf"))
            m_new = tl.maximum(m, tl.max(scores, 1))
            alpha = tl.exp(m - m_new)
            p = tl.exp(scores - m_new[:, None])
            l = l * alpha + tl.sum(p, 1)
            v = tl.load(V + b * svb + h * svh + n[:, None] * svl + cols[None, :], mask=keep[:, None], other=0.0)
            acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
            m = m_new
        if SINGLE:  # one split holds the whole row: normalise here, no partials, no combine launch
            out = acc / l[:, None]
            tl.store(O + b * sob + (h * G + rows)[:, None] * soh + cols[None, :], out.to(O.dtype.element_ty),
                     mask=(rows < G)[:, None])
        else:
            base = bh * smb + s * sms
            tl.store(M + base + rows, m)
            tl.store(L + base + rows, l)
            tl.store(ACC + (base + rows)[:, None] * D + cols[None, :], acc)

    @triton.jit
    def _combine(M, L, ACC, O, n_splits, n_kv, smb, sms, sob, soh,
                 G: tl.constexpr, G_PAD: tl.constexpr, D: tl.constexpr):
        """`combine` for one (row, kv head): M = max_s m_s, out = sum_s w_s acc_s / sum_s w_s l_s."""
        bh = tl.program_id(0)
        b, h = bh // n_kv, bh % n_kv
        rows, cols = tl.arange(0, G_PAD), tl.arange(0, D)
        big = tl.full([G_PAD], float("-inf"), tl.float32)
        for s in range(0, n_splits):
            big = tl.maximum(big, tl.load(M + bh * smb + s * sms + rows))
        num = tl.zeros([G_PAD, D], tl.float32)
        den = tl.zeros([G_PAD], tl.float32)
        for s in range(0, n_splits):  # split 0 always holds a key, so `big` is finite
            base = bh * smb + s * sms
            m_s = tl.load(M + base + rows)
            w = tl.where(m_s > float("-inf"), tl.exp(m_s - big), 0.0)
            den += w * tl.load(L + base + rows)
            num += w[:, None] * tl.load(ACC + (base + rows)[:, None] * D + cols[None, :])
        tl.store(O + b * sob + (h * G + rows)[:, None] * soh + cols[None, :], (num / den[:, None]).to(O.dtype.element_ty),
                 mask=(rows < G)[:, None])


def split_k_attention(q: Tensor, k_cache: Tensor, v_cache: Tensor, lengths: Tensor, scale: float,
                      n_splits: int | None = None, config: KernelConfig = DEFAULT) -> Tensor:
    """The Triton kernel (CUDA, or CPU under TRITON_INTERPRET=1). Same contract as the reference."""
    if triton is None:
        raise RuntimeError("split-K decode attention needs Triton (CUDA builds of torch ship it): "
                           "use the engine's sdpa attention")
    b, nh, d = q.shape
    n_kv, length = k_cache.shape[1], k_cache.shape[2]
    g = nh // n_kv
    if k_cache.stride(-1) != 1 or v_cache.stride(-1) != 1 or q.stride(-1) != 1 or d & (d - 1) or d < 16:
        raise ValueError("split-K attention needs a contiguous last dimension and a power-of-2 head size >= 16")
    n_splits = n_splits or n_splits_for(b, n_kv, length, config)
    split_len = math.ceil(math.ceil(length / n_splits) / config.block_n) * config.block_n
    n_splits = math.ceil(length / split_len)
    g_pad = max(16, triton.next_power_of_2(g))
    out = torch.empty(b, nh, d, device=q.device, dtype=q.dtype)
    single = n_splits == 1
    shape = (1, 1, 1) if single else (b * n_kv, n_splits, g_pad)  # partials only when there are splits to merge
    m = torch.empty(shape, device=q.device, dtype=torch.float32)
    l = torch.empty_like(m)
    acc = torch.empty(*shape, d if not single else 1, device=q.device, dtype=torch.float32)
    _partials[(b * n_kv, n_splits)](
        q, k_cache, v_cache, lengths.to(torch.int32), m, l, acc, out, scale, split_len, n_kv,
        q.stride(0), q.stride(1), k_cache.stride(0), k_cache.stride(1), k_cache.stride(2),
        v_cache.stride(0), v_cache.stride(1), v_cache.stride(2), m.stride(0), m.stride(1), out.stride(0), out.stride(1),
        G=g, G_PAD=g_pad, D=d, BLOCK=config.block_n, SINGLE=single,
        num_warps=config.num_warps, num_stages=config.num_stages)
    if not single:
        _combine[(b * n_kv,)](m, l, acc, out, n_splits, n_kv, m.stride(0), m.stride(1), out.stride(0), out.stride(1),
                              G=g, G_PAD=g_pad, D=d, num_warps=4)
    return out
