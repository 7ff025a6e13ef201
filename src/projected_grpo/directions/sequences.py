"""Pairs as token sequences: the chat-rendered prompt followed by one side's completion."""

from __future__ import annotations

import torch
from torch import Tensor

from projected_grpo.env.prompts import SYSTEM_PROMPT
from projected_grpo.model.loading import render_prompt


def encode(tok, user_prompt: str, completion: str) -> tuple[list[int], int]:
    """(ids, n_prompt): prompt tokens then completion tokens ending with the EOS token."""
    prompt = render_prompt(tok, [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user_prompt}])
    p_ids = tok(prompt, add_special_tokens=False).input_ids
    c_ids = tok(completion, add_special_tokens=False).input_ids + [tok.eos_token_id]
    return p_ids + c_ids, len(p_ids)


def collate(seqs: list[tuple[list[int], int]], pad_id: int, device) -> tuple[Tensor, Tensor, Tensor]:
    """Right-padded (ids, attention_mask, completion_mask), each [B, T]. Right padding keeps
    every real token at its true position in a teacher-forced forward."""
    t = max(len(ids) for ids, _ in seqs)
    ids = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    attn = torch.zeros(len(seqs), t, dtype=torch.long)
    comp = torch.zeros(len(seqs), t, dtype=torch.bool)
    for i, (s, n_prompt) in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        attn[i, : len(s)] = 1
        comp[i, n_prompt: len(s)] = True
    return ids.to(device), attn.to(device), comp.to(device)


def completion_nll(model, ids: Tensor, attn: Tensor, comp: Tensor, normalize: str = "mean") -> Tensor:
    """Per-row NLL of the completion tokens, [B]: mean over tokens ("mean") or their sum ("sum";
    live Dr.GRPO is not length-normalised, method brief pitfall 10)."""
    logits = model(input_ids=ids, attention_mask=attn).logits[:, :-1].float()
    target, mask = ids[:, 1:], comp[:, 1:].float()
    nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), target, reduction="none") * mask
    return nll.sum(1) / (mask.sum(1).clamp_min(1.0) if normalize == "mean" else 1.0)
