"""Split-K decode attention (engine/decode_attention.py): the PyTorch reference of the algorithm
against sdpa, and the Triton kernel against the reference in Triton's interpreter (CPU)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

from projected_grpo.engine import decode_attention as da
from projected_grpo.engine.forward import decode_attention


def case(b=3, n_kv=2, g=3, d=16, length=70, seed=0):
    gen = torch.Generator().manual_seed(seed)
    q = torch.randn(b, 1, n_kv * g, d, generator=gen)
    k, v = (torch.randn(b, n_kv, length, d, generator=gen) for _ in range(2))
    lengths = torch.tensor([length, 1, length // 2 + 3][:b])
    valid = torch.arange(length)[None] < lengths[:, None]
    return q, k, v, lengths, valid


@pytest.mark.parametrize("n_splits", [1, 2, 3, 7, 70])
def test_reference_equals_sdpa(n_splits):
    q, k, v, lengths, valid = case()
    want = decode_attention(q, k, v, valid, 0.25, "sdpa").reshape(3, 6, 16)
    got = da.split_k_reference(q[:, 0], k, v, lengths, 0.25, n_splits)
    assert torch.allclose(got, want, atol=1e-5)  # splits past a row's end (row 1 has one key) carry weight 0


def test_split_k_kind_in_the_decode_step():
    q, k, v, _, valid = case(seed=1)
    assert torch.allclose(decode_attention(q, k, v, valid, 0.3, "split_k"),
                          decode_attention(q, k, v, valid, 0.3, "sdpa"), atol=1e-5)


def test_splits_fill_the_gpu_and_stay_constant_per_bucket():
    assert da.n_splits_for(1, 8, 4096) == 64 and da.n_splits_for(128, 8, 4096) == 1
    assert da.n_splits_for(2, 8, 100) == 2 and da.n_splits_for(4, 8, 1024) == 16 and da.n_splits_for(16, 8, 4096) == 5  # <= one split per block of keys


KERNEL = """
import json, sys, torch
from projected_grpo.engine import decode_attention as da
torch.manual_seed(0)
out = {}
small, wide = da.KernelConfig(block_n=16), da.KernelConfig(block_n=128, num_warps=8, num_stages=3)
for n_kv, g, d, length, splits, cfg in [(2, 3, 16, 70, 3, da.DEFAULT), (1, 4, 32, 130, 2, small),
                                        (2, 1, 16, 5, 1, da.DEFAULT), (2, 3, 16, 70, 1, small),
                                        (2, 4, 32, 300, 1, wide), (2, 4, 32, 300, 3, wide)]:
    q = torch.randn(3, n_kv * g, d)
    k, v = torch.randn(3, n_kv, length, d), torch.randn(3, n_kv, length, d)
    lengths = torch.tensor([length, 1, max(1, length // 2)])
    got = da.split_k_attention(q, k, v, lengths, 0.25, splits, cfg)
    want = da.split_k_reference(q, k, v, lengths, 0.25, splits)
    out[f"{n_kv}-{g}-{d}-{length}-{splits}-{cfg.block_n}"] = float((got - want).abs().max())
print(json.dumps(out))
"""


@pytest.mark.skipif(da.triton is None, reason="Triton is not installed (CPU-only torch)")
def test_triton_kernel_equals_the_reference_in_the_interpreter():
    env = dict(os.environ, TRITON_INTERPRET="1")  # set before triton.jit runs: a fresh interpreter
    res = subprocess.run([sys.executable, "-c", KERNEL], env=env, capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr[-2000:]
    errors = json.loads(res.stdout.strip().splitlines()[-1])
    assert max(errors.values()) < 1e-4, errors
