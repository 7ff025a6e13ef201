"""Activation memory of training without gradient checkpointing, on the CPU: the bytes autograd
saves for backward in a one- and a two-layer Qwen3 of a given shape (bf16, the lora2r adapter on
every projection; weights and adapter tensors not counted), at two sequence lengths. The
difference between the two depths is one layer; a straight line through the two lengths splits
it into bytes per token and a fixed part (the adapter's cast weights). The estimate behind the
no-checkpointing lever in docs/benchmarks.md. The CPU's attention saves more than flash
attention on a GPU, so this errs high.

    python scripts/saved_bytes.py [--hidden 2560 --intermediate 9728 --heads 32 --kv-heads 8
                                   --head-dim 128 --rank 32 --tokens 128 256]
"""

from __future__ import annotations

import argparse
import sys

import torch
from transformers import Qwen3Config, Qwen3ForCausalLM

from projected_grpo.adapter.adapter import Adapter, AdapterConfig


def saved_bytes(shape: dict, rank: int, layers: int, tokens: int) -> int:
    cfg = Qwen3Config(vocab_size=1000, num_hidden_layers=layers, tie_word_embeddings=False, **shape)
    cfg._attn_implementation = "sdpa"
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(cfg).to(torch.bfloat16)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=rank, seed=0))
    owned = {t.untyped_storage().data_ptr() for t in [*model.parameters(), *model.buffers()]}
    for m in adapter.modules.values():
        owned |= {t.untyped_storage().data_ptr() for t in [*m.parameters(), *m.buffers()]}
    seen: dict[int, int] = {}

    def pack(t):
        if t.untyped_storage().data_ptr() not in owned:
            seen[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model.model(input_ids=torch.randint(0, cfg.vocab_size, (1, tokens)), use_cache=False)
    return sum(seen.values())


def per_layer(shape: dict, rank: int, tokens: tuple[int, int]) -> tuple[float, float]:
    """(bytes per token, fixed bytes) of one layer."""
    one = [saved_bytes(shape, rank, 2, t) - saved_bytes(shape, rank, 1, t) for t in tokens]
    per_token = (one[1] - one[0]) / (tokens[1] - tokens[0])
    return per_token, one[0] - per_token * tokens[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default in (("--hidden", 2560), ("--intermediate", 9728), ("--heads", 32), ("--kv-heads", 8),
                          ("--head-dim", 128), ("--rank", 32)):
        ap.add_argument(flag, type=int, default=default)
    ap.add_argument("--tokens", type=int, nargs=2, default=(128, 256))
    a = ap.parse_args(argv)
    if min(a.hidden, a.intermediate, a.heads, a.kv_heads, a.head_dim, a.rank, *a.tokens) < 1 or a.tokens[0] >= a.tokens[1]:
        print("saved_bytes.py: every size must be >= 1 and --tokens two increasing lengths (e.g. --tokens 128 256)",
              file=sys.stderr)
        return 2
    shape = dict(hidden_size=a.hidden, intermediate_size=a.intermediate, num_attention_heads=a.heads,
                 num_key_value_heads=a.kv_heads, head_dim=a.head_dim)
    per_token, fixed = per_layer(shape, a.rank, tuple(a.tokens))
    print(f"one layer saves {per_token / 1e3:.0f} KB per token and {fixed / 1e6:.1f} MB fixed for backward "
          f"(bf16, lora2r r={a.rank}, CPU attention, {a.tokens[0]} and {a.tokens[1]} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
