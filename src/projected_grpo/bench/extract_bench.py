"""`pgrpo bench extract`: time and peak memory of direction extraction, split into phases.

On the GPU the default model is a random-weight Qwen3-4B shape with the real Qwen vocabulary
(`qwen3-4b-shape`); any model folder works. Random weights make the diagnostics meaningless,
but not the cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.directions.extract import (ExtractConfig, act_directions, grad_directions, pair_sequences,
                                               per_completion_grads, pooled_activations)
from projected_grpo.pairs.pairset import select


@dataclass
class Phase:
    name: str
    seconds: float
    peak_gib: float


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _timed(name, fn):
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    _sync()
    t = time.perf_counter()
    out = fn()
    _sync()
    peak = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else float("nan")
    return out, Phase(name, time.perf_counter() - t, peak)


def run(model_name: str, pairs: str, variant: str, rank: int, micro_batch: int) -> tuple[str, list[Phase]]:
    if model_name == "qwen3-4b-shape":
        from projected_grpo.model.builders import build_qwen3_4b_shape

        model, tok = build_qwen3_4b_shape(device="cuda" if torch.cuda.is_available() else "cpu")
    else:
        from projected_grpo.model.loading import load_model

        model, tok, _ = load_model(model_name)
    adapter = Adapter(model, AdapterConfig(variant=variant, rank=rank))
    sel = select(pairs)
    cfg = ExtractConfig(micro_batch=micro_batch)
    hack, clean = pair_sequences(tok, sel)
    n_tokens = sum(len(ids) for ids, _ in hack + clean)
    phases = []
    with adapter.ablated():
        (h_hack, h_clean), p = _timed("v_act: pooled activations (no-grad forwards)", lambda: (
            pooled_activations(model, tok, adapter, hack, cfg), pooled_activations(model, tok, adapter, clean, cfg)))
        phases.append(p)
        _, p = _timed("v_act: mean difference", lambda: act_directions(h_hack, h_clean, False))
        phases.append(p)
        (g_hack, g_clean), p = _timed("v_grad: per-completion gradients (forward+backward)", lambda: (
            per_completion_grads(model, tok, adapter, hack, cfg), per_completion_grads(model, tok, adapter, clean, cfg)))
        phases.append(p)
        diffs = {n: g_hack[n] - g_clean[n] for n in g_hack}
        device = next(model.parameters()).device
        _, p = _timed("v_grad: per-module SVD, orientation, floor",
                      lambda: grad_directions(diffs, cfg.k, cfg.drop_bottom_frac, device))
        phases.append(p)
    header = (f"{model_name}: {len(adapter.modules)} adapted modules ({variant}, r={rank}), {len(sel.pairs)} pairs, "
              f"{n_tokens} tokens over both sides, micro-batch {micro_batch}, "
              f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu'}")
    return header, phases
