"""What each phase of a step would cost at the card's limit, so a benchmark can print the gap.

    decode      memory-bound: every decode step reads the decode weights once, and every live row
                reads its context's keys and values:  (steps * weight_bytes + Σ context * kv_bytes) / bandwidth
    passes      compute-bound: a forward is 2 FLOPs per weight per token (dense GEMMs only:
                attention's own FLOPs and the embedding lookup are left out, so this is a floor);
                a backward through frozen weights is one more forward's worth (input gradients
                only: the adapter's weight gradients are rank r, negligible), and gradient
                checkpointing recomputes the forward once more:  passes * 2 * params * tokens / peak

Spec-sheet peaks (dense bf16 without sparsity; HBM bandwidth). A card not listed needs the
benchmark's --bandwidth-tbs.
"""

from __future__ import annotations

from projected_grpo.errors import UserError

# most specific names first: "H100 NVL" and "H100 PCIe" before "H100" (SXM)
SPEC_BANDWIDTH = {"H200": 4.8e12, "H100 NVL": 3.9e12, "H100 PCIe": 2.0e12, "H100": 3.35e12, "A100": 2.0e12,
                  "L40S": 0.864e12}
SPEC_BF16_FLOPS = {"H200": 989e12, "H100 NVL": 835e12, "H100 PCIe": 756e12, "H100": 989e12, "A100": 312e12,
                   "L40S": 362e12}


def _spec(table: dict[str, float], name: str, what: str) -> float:
    for key, value in table.items():
        if key in name:
            return value
    raise UserError(f"no spec-sheet {what} for {name!r}: pass --bandwidth-tbs / add the card to bench/roofline.py")


def spec_bandwidth(name: str) -> float:
    return _spec(SPEC_BANDWIDTH, name, "bandwidth")


def spec_bf16_flops(name: str) -> float:
    return _spec(SPEC_BF16_FLOPS, name, "bf16 FLOPs")


def decode_bytes_per_step(engine, model) -> tuple[int, int]:
    """(weight bytes read per decode step, K+V bytes per context token) of a built fast engine: the
    merged deployed weights with the quarantine's low-rank blocks, plus the LM head."""
    w_bytes = sum(t.numel() * t.element_size() for lw in engine.layers
                  for f in (lw.qkv, lw.o, lw.gu, lw.down) for t in (f.w, f.b_q) if t is not None)
    return w_bytes + model.get_output_embeddings().weight.numel() * 2, kv_bytes_per_token(model)


def kv_bytes_per_token(model) -> int:
    c = model.config
    head_dim = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
    return 2 * c.num_hidden_layers * c.num_key_value_heads * head_dim * 2  # k and v, bf16


def model_bytes_per_step(model, adapter) -> int:
    """The same bytes without a built engine (it frees its weights between steps): every Linear
    and every adapter block once, in bf16 (the engine merges the deployed block into the weight,
    so this overstates it by that block, about 1% at r = 32)."""
    return 2 * (dense_params(model) + sum(p.numel() for p in adapter.parameters()))


def decode_seconds(decode_steps: int, context_tokens: int, weight_bytes: int, kv_bytes_per_token: int,
                   bandwidth: float) -> float:
    return (decode_steps * weight_bytes + context_tokens * kv_bytes_per_token) / bandwidth


def dense_params(model) -> int:
    """Weights a token multiplies through: every Linear (LM head included), not the embedding."""
    import torch

    return sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))


def pass_seconds(forwards: float, params: int, tokens: int, flops: float) -> float:
    return forwards * 2 * params * tokens / flops


def forwards_in(phase: str, *, kl: bool, engine_logp: bool, checkpointing: bool) -> float:
    """Forward-equivalents of a phase. behaviour: logπ_old (unless the engine gave it) and the
    adapter-disabled reference for the KL. fb: forward + backward (+ the recomputed forward)."""
    if phase == "behaviour":
        return (0 if engine_logp else 1) + (1 if kl else 0)
    if phase == "fb":
        return 3 if checkpointing else 2
    raise ValueError(f"unknown phase {phase!r}")
