"""Decode attention alone: sdpa against the split-K kernel over a grid of launch settings.

    pgrpo bench attention --batch 128 --ctx 1792            # Qwen3-4B heads: 32 query, 8 KV, d 128

One decode step's attention for one layer: a one-token query per row over the static KV cache,
rows of different live lengths (uniform in [ctx - bucket + 1, ctx], as the engine's context
bucket leaves them). Each kernel's time is triton.testing.do_bench's median; its bandwidth is the
K and V bytes of the live context over that time (the bytes the kernel cannot avoid reading), so
the table says how close each setting comes to the card's memory bound. Every setting is checked
against sdpa before it is timed. The fastest setting is what engine/decode_attention.DEFAULT
should be on that card.
"""

from __future__ import annotations

import itertools
import json

import torch

from projected_grpo.engine import decode_attention as da
from projected_grpo.engine.forward import decode_attention
from projected_grpo.errors import UserError


def grid(block_n: tuple[int, ...], warps: tuple[int, ...], stages: tuple[int, ...],
         targets: tuple[int, ...]) -> list[da.KernelConfig]:
    return [da.KernelConfig(b, w, s, t) for b, w, s, t in itertools.product(block_n, warps, stages, targets)]


def run(batch: int, ctx: int, n_heads: int, n_kv: int, head_dim: int, bucket: int, configs: list[da.KernelConfig],
        out: str | None, seed: int = 0) -> dict:
    if not torch.cuda.is_available() or da.triton is None:
        raise UserError("pgrpo bench attention needs a CUDA GPU (and Triton, which CUDA builds of torch ship)")
    from triton.testing import do_bench

    g = torch.Generator(device="cuda").manual_seed(seed)
    q = torch.randn(batch, 1, n_heads, head_dim, device="cuda", dtype=torch.bfloat16, generator=g)
    kc, vc = (torch.randn(batch, n_kv, ctx, head_dim, device="cuda", dtype=torch.bfloat16, generator=g) for _ in range(2))
    lengths = torch.randint(max(1, ctx - bucket + 1), ctx + 1, (batch,), device="cuda", generator=g, dtype=torch.int32)
    valid = torch.arange(ctx, device="cuda")[None] < lengths[:, None]
    scale = head_dim ** -0.5
    live_bytes = 2 * int(lengths.sum()) * n_kv * head_dim * kc.element_size()  # K and V of the live context

    want = decode_attention(q, kc, vc, valid, scale, "sdpa").reshape(batch, n_heads, head_dim).float()
    rows = [{"kernel": "sdpa", "ms": do_bench(lambda: decode_attention(q, kc, vc, valid, scale, "sdpa"))}]
    print(f"decode attention, B={batch}, ctx {ctx} (live {int(lengths.min())}-{int(lengths.max())}), "
          f"{n_heads} heads / {n_kv} KV, d {head_dim}, bf16; {torch.cuda.get_device_name()}", flush=True)
    for cfg in configs:
        splits = da.n_splits_for(batch, n_kv, ctx, cfg)
        got = da.split_k_attention(q[:, 0], kc, vc, lengths, scale, splits, cfg).float()
        err = float((got - want).abs().max())
        if err > 2e-2:  # bf16 output rounding is ~4e-3 here; more is a wrong kernel, not a slow one
            raise AssertionError(f"split_k {cfg} differs from sdpa by {err:.3g}")
        ms = do_bench(lambda: da.split_k_attention(q[:, 0], kc, vc, lengths, scale, splits, cfg))
        rows.append({"kernel": "split_k", **cfg.__dict__, "splits": splits, "ms": ms, "max_err": err})
    for r in rows:
        r["tb_s"] = live_bytes / (r["ms"] * 1e-3) / 1e12
    rows.sort(key=lambda r: r["ms"])
    print(f"  {'kernel':<8} {'block':>5} {'warps':>5} {'stages':>6} {'splits':>6} {'us':>8} {'TB/s':>6}")
    for r in rows:
        knobs = (f"{r['block_n']:>5} {r['num_warps']:>5} {r['num_stages']:>6} {r['splits']:>6}"
                 if r["kernel"] == "split_k" else f"{'':>5} {'':>5} {'':>6} {'':>6}")
        print(f"  {r['kernel']:<8} {knobs} {r['ms'] * 1e3:8.1f} {r['tb_s']:6.2f}")
    result = {"gpu": torch.cuda.get_device_name(), "batch": batch, "ctx": ctx, "n_heads": n_heads, "n_kv": n_kv,
              "head_dim": head_dim, "live_bytes": live_bytes, "rows": rows}
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
    return result
