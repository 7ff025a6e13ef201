"""Random-weight models built in code, offline.

- `tiny`: a 2-layer Qwen3 with the byte-level tokenizer (tests; builds in milliseconds).
- `qwen3_4b_shape`: the exact Qwen3-4B architecture with random weights and the real Qwen
  vocabulary (benchmarks: same FLOPs, memory and token statistics as the real model, but
  random weights never emit EOS, so generation lengths must be fixed).
Both save as ordinary HF folders that every command accepts as `--model PATH`.
"""

from __future__ import annotations

from pathlib import Path

QWEN3_4B = dict(hidden_size=2560, intermediate_size=9728, num_hidden_layers=36, num_attention_heads=32,
                num_key_value_heads=8, head_dim=128, vocab_size=151936, max_position_embeddings=40960,
                rms_norm_eps=1e-6, tie_word_embeddings=True, rope_parameters={"rope_type": "default", "rope_theta": 1e6})


def tiny_config(vocab_size: int, **overrides):
    from transformers import Qwen3Config

    kw = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
              num_key_value_heads=2, head_dim=16, vocab_size=vocab_size, max_position_embeddings=4096,
              tie_word_embeddings=True)
    kw.update(overrides)
    return Qwen3Config(**kw)


def build_tiny(seed: int = 0, **config_overrides):
    """(model, tokenizer): a tiny random Qwen3 (fp32, CPU) with the byte-level tokenizer."""
    import torch
    from transformers import Qwen3ForCausalLM

    from projected_grpo.model.tokenizers import build_byte_tokenizer

    tok = build_byte_tokenizer()
    torch.manual_seed(seed)
    cfg = tiny_config(len(tok), bos_token_id=None, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                      **config_overrides)
    model = Qwen3ForCausalLM(cfg).eval()
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    return model, tok


def build_qwen3_4b_shape(seed: int = 0, dtype=None, device: str = "cpu"):
    """(model, tokenizer): random weights of the exact Qwen3-4B shape + the real Qwen vocabulary."""
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    from projected_grpo.model.tokenizers import build_qwen_tokenizer

    tok = build_qwen_tokenizer()
    torch.manual_seed(seed)
    cfg = Qwen3Config(**QWEN3_4B, bos_token_id=tok.convert_tokens_to_ids("<|endoftext|>"),
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype or torch.bfloat16)  # initialise in bf16: 8 GB, not 16 GB of fp32
    try:
        with torch.device(device):
            model = Qwen3ForCausalLM(cfg).eval()
    finally:
        torch.set_default_dtype(previous)
    return model, tok


def save(model, tok, out: str | Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out
