"""Read a GGUF checkpoint (llama.cpp's single-file format) as an ordinary transformers model.

    model, tok = load_gguf(Path("SmolLM2-135M-Instruct.Q4_1.gguf"))
    model.save_pretrained(out); tok.save_pretrained(out)

transformers reads GGUF through the `gguf` package (`pip install 'projected-grpo[smollm2]'`) and
dequantises every tensor to fp32, so the weights are exactly the quantised file's values, not the
original full-precision model's. The model it returns keeps a GGUF `quantization_config` and
refuses `save_pretrained` ("quantized with GGUF and not serializable"), so a fresh model is built
from the same config without it and takes the state dict; every key must match.
"""

from __future__ import annotations

from pathlib import Path

from projected_grpo.errors import UserError


def tensor_types(path: Path) -> dict[str, int]:
    """How many tensors the file stores in each format, e.g. {"Q4_1": 210, "F32": 61, "Q8_0": 1}."""
    from collections import Counter

    from gguf import GGUFReader

    return dict(Counter(t.tensor_type.name for t in GGUFReader(path).tensors))


def load_gguf(path: Path):
    """(model in fp32 on CPU, tokenizer with the file's chat template), both savable as a folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        import gguf  # noqa: F401  (transformers' GGUF reader needs it)
    except ImportError:
        raise UserError("reading a GGUF file needs the `gguf` package: pip install 'projected-grpo[smollm2]'") from None
    path = Path(path)
    if not path.is_file():
        raise UserError(f"GGUF file {path} does not exist")
    try:
        loaded = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
        tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    except (OSError, ValueError, KeyError) as e:
        raise UserError(f"cannot read {path} as a GGUF causal LM ({str(e).strip()[:300]})") from None
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the weights are already dequantised: a plain fp32 model
    model = type(loaded)(config)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    if set(missing) - tied or unexpected:
        raise RuntimeError(f"GGUF state dict does not fit {type(model).__name__}: missing {missing}, "
                           f"unexpected {unexpected}")
    model.tie_weights()
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "left"  # generation pads on the left (model/loading.py does the same)
    return model.eval(), tok
