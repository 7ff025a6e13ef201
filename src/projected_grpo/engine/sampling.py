"""Token sampling on the device, inside the captured decode step (no host round trip).

Same distribution as transformers' warpers in their order: temperature, then top-k, then top-p
(keep the smallest head of the sorted distribution whose mass reaches top_p; always >= 1
token). The draw is an exponential race, argmax_i p_i / E_i with E_i ~ Exp(1), which picks i
with probability p_i / Σp and uses only RNG calls that CUDA graphs can replay.

The behaviour log-prob returned with each token is log softmax(logits / T) of that token, the
untruncated tempered distribution: the same quantity the trainer's logπ_old is (logprobs.py).
"""

from __future__ import annotations

import torch
from torch import Tensor


def sample(logits: Tensor, temperature: float, top_k: int, top_p: float) -> tuple[Tensor, Tensor]:
    """logits [B, V] (any float dtype) -> (tokens [B] long, logprobs [B] fp32)."""
    z = logits.float() / (temperature if temperature > 0 else 1.0)
    logp = torch.log_softmax(z, dim=-1)
    if temperature == 0:
        tok = z.argmax(-1)
        return tok, logp.gather(1, tok[:, None]).squeeze(1)
    vals, idx = z.topk(top_k, dim=-1) if 0 < top_k < z.shape[-1] else z.sort(dim=-1, descending=True)
    p = torch.softmax(vals, dim=-1)
    if top_p < 1.0:
        p = p * ((p.cumsum(-1) - p) < top_p)  # mass strictly before a token < top_p: keep it
    race = p / torch.empty_like(p).exponential_().clamp_min(1e-20)
    tok = idx.gather(1, race.argmax(-1, keepdim=True)).squeeze(1)
    return tok, logp.gather(1, tok[:, None]).squeeze(1)


def warped_probs(logits: Tensor, temperature: float, top_k: int, top_p: float) -> Tensor:
    """The distribution `sample` draws from, [B, V] (tests compare it with transformers)."""
    z = logits.float() / temperature
    if 0 < top_k < z.shape[-1]:
        kth = z.topk(top_k, dim=-1).values[:, -1:]
        z = z.masked_fill(z < kth, float("-inf"))
    p = torch.softmax(z, dim=-1)
    if top_p < 1.0:
        sp, si = p.sort(dim=-1, descending=True)
        keep = (sp.cumsum(-1) - sp) < top_p
        p = torch.zeros_like(p).scatter(1, si, sp * keep)
    return p / p.sum(-1, keepdim=True)
