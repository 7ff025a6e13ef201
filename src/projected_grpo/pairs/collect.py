"""Contrastive statistics of the pairs at each target Linear's input, for the corda / scorda
adapter initialisations: per pair, the completion-pooled input x_hack - x_clean.

Stored as the [n_pairs, d_in] matrix of differences, not a d_in x d_in covariance (about 20 GB
for Qwen3-4B's targets): the contrastive covariance ΔXᵀΔX / n has the right singular vectors of
ΔX as eigenvectors, so CorDA's basis comes from one small SVD per module.
"""

from __future__ import annotations

import torch
from torch import nn

from projected_grpo.adapter.inits import Contrast
from projected_grpo.directions.sequences import collate, encode
from projected_grpo.pairs.pairset import PairSelection


@torch.no_grad()
def contrast_stats(model, tok, pairs: PairSelection, targets: tuple[str, ...], micro_batch: int = 8) -> dict[str, Contrast]:
    """name -> Contrast, computed on the model as it is (call before attaching the adapter)."""
    linears = {n: m for n, m in model.named_modules() if isinstance(m, nn.Linear) and n.rsplit(".", 1)[-1] in targets}
    if not linears:
        raise ValueError(f"no Linear named {targets} in the model")
    device = next(model.parameters()).device
    pooled: dict[str, dict[str, list]] = {n: {"hack": [], "clean": []} for n in linears}
    for side in ("hack", "clean"):
        seqs = [encode(tok, p.prompt, getattr(p, side)) for p in pairs.pairs]
        for i in range(0, len(seqs), micro_batch):
            ids, attn, comp = collate(seqs[i:i + micro_batch], tok.pad_token_id, device)
            w = comp.float().unsqueeze(-1)

            def hook(name):
                def fn(module, args):
                    x = args[0].float()
                    pooled[name][side].append(((x * w).sum(1) / w.sum(1).clamp_min(1.0)).cpu())
                return fn

            handles = [m.register_forward_pre_hook(hook(n)) for n, m in linears.items()]
            try:
                model(input_ids=ids, attention_mask=attn)
            finally:
                for h in handles:
                    h.remove()
    out = {}
    for name, sides in pooled.items():
        diffs = torch.cat(sides["hack"]) - torch.cat(sides["clean"])
        out[name] = Contrast(diffs=diffs)
    return out
