"""Load any HF causal LM by hub id or local folder, with its chat template.

Device and dtype are chosen once here and the reason is returned for the run log: bf16 on a
GPU (what the reference runs use), fp32 on CPU (bf16 matmuls on CPU are slow and imprecise).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    device: str
    dtype: str  # "bfloat16" | "float32"
    reason: str


def choose_placement(device: str | None = None, dtype: str | None = None) -> Placement:
    import torch

    from projected_grpo.errors import UserError

    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    elif not re.fullmatch(r"cpu|mps|cuda(:\d+)?", device):
        raise UserError(f"--device {device!r}: choose cpu, cuda or cuda:N (or leave it out: cuda when available)")
    elif device.startswith("cuda"):
        part = device.partition(":")[2]
        index = int(part) if part.isdigit() else 0 if part == "" else -1
        n = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if not 0 <= index < n:
            raise UserError(f"--device {device}: this machine has {n} CUDA device(s); use --device cpu "
                            f"or leave --device out (cuda when available)")
    if dtype is None:
        dtype = "bfloat16" if device.startswith("cuda") else "float32"
        reason = f"{dtype} on {device} (default: bf16 on GPU, fp32 on CPU)"
    else:
        reason = f"{dtype} on {device} (requested)"
    if dtype not in ("bfloat16", "float32", "float16"):
        raise UserError(f"dtype {dtype!r}: choose bfloat16, float16 or float32")
    return Placement(device, dtype, reason)


def load_model(name_or_path: str, placement: Placement | None = None):
    """(model, tokenizer, placement). Fails with a clear message when the weights are missing."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from projected_grpo.errors import UserError
    from projected_grpo.model.chat_template import CHATML_TEMPLATE

    placement = placement or choose_placement()
    try:
        tok = AutoTokenizer.from_pretrained(name_or_path)
        model = AutoModelForCausalLM.from_pretrained(name_or_path, dtype=getattr(torch, placement.dtype))
    except (OSError, ValueError) as e:  # missing files / a folder transformers cannot read
        raise UserError(f"--model {name_or_path}: cannot load ({str(e).strip()[:300]}). Offline? Pass a local folder "
                        f"(e.g. one written by `pgrpo model build-tiny --out DIR`).") from None
    if tok.chat_template is None:
        tok.chat_template = CHATML_TEMPLATE
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "left"
    return model.to(placement.device).eval(), tok, placement


def render_prompt(tok, messages: list[dict]) -> str:
    """The chat text up to the assistant's first token; Qwen3's thinking is off."""
    return tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, enable_thinking=False)


def prompt_ids(tok, problem, mode: str, marker: str | None = None) -> list[int]:
    """The token ids a policy is conditioned on for a problem in a mode (and marker): its chat
    prompt rendered as above. Training, evaluation, the organism's check and the data build's
    length filter all read prompts through here, so they cannot drift apart."""
    from projected_grpo.env.prompts import chat_messages

    return tok(render_prompt(tok, chat_messages(problem, mode, marker)), add_special_tokens=False).input_ids


def tokenizer_fingerprint(tok) -> str:
    """16 hex chars of sha256 over the sorted vocabulary and the EOS token: cached token ids
    are reusable exactly when two tokenizers share a fingerprint."""
    payload = json.dumps([sorted(tok.get_vocab().items()), tok.eos_token], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
