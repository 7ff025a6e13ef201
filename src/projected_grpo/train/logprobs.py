"""Token log-probs without materialising [B, T, vocab] in fp32.

Only completion positions go through the LM head, in chunks of `chunk` tokens; each chunk's
fp32 logits live only inside a checkpointed function, so backward recomputes them chunk by
chunk instead of keeping them (Qwen3's 151,936-entry vocabulary makes a full fp32 logits tensor
for 256 x 1536 tokens about 240 GB).
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.profiler import record_function
from torch.utils.checkpoint import checkpoint


LM_HEAD = "pgrpo::lm_head"  # profiler range of each chunk's forward (and its recompute in backward)


def _chunk_logp(hidden: Tensor, weight: Tensor, targets: Tensor, temperature: float) -> Tensor:
    with record_function(LM_HEAD):
        logits = (hidden @ weight.T).float() / temperature
        return logits.gather(1, targets[:, None]).squeeze(1) - torch.logsumexp(logits, dim=1)


def token_logprobs(model, ids: Tensor, attn: Tensor, comp: Tensor, chunk: int = 4096,
                   temperature: float = 1.0) -> Tensor:
    """[B, T] log π(ids[:, t] | ids[:, :t]) at completion positions (comp True), 0 elsewhere.
    Differentiable w.r.t. the model's trainable parameters."""
    # Right padding (every row's real tokens a prefix): under causal attention no real query
    # sees a pad key, so the mask is redundant, and without it sdpa may take its fused causal
    # kernel instead of materialising a [B, 1, T, T] mask. Pad positions are never read below.
    right_padded = bool((attn[:, 1:] <= attn[:, :-1]).all())
    hidden = model.model(input_ids=ids, attention_mask=None if right_padded else attn,
                         use_cache=False).last_hidden_state  # [B, T, H]; no KV cache
    return logprobs_from_hidden(hidden, model.get_output_embeddings().weight, ids, comp, chunk, temperature)


def logprobs_from_hidden(hidden: Tensor, weight: Tensor, ids: Tensor, comp: Tensor, chunk: int = 4096,
                         temperature: float = 1.0) -> Tensor:
    predict = comp[:, 1:]  # token t is predicted from position t - 1
    h = hidden[:, :-1][predict]  # [N, H]
    targets = ids[:, 1:][predict]  # [N]
    parts = []
    for i in range(0, h.shape[0], chunk):
        args = (h[i:i + chunk], weight, targets[i:i + chunk], temperature)
        parts.append(checkpoint(_chunk_logp, *args, use_reentrant=False) if torch.is_grad_enabled()
                     else _chunk_logp(*args))
    out = torch.zeros(ids.shape, dtype=torch.float32, device=ids.device)
    flat = torch.cat(parts) if parts else torch.zeros(0, device=ids.device)
    out[:, 1:] = out[:, 1:].masked_scatter(predict, flat)
    return out
