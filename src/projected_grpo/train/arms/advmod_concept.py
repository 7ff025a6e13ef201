"""advmod's setup (Wu & Tang 2026): the layers it reads and its fixed concept vector. Apart from
advmod.py because it needs torch and the model, which the registry must not import."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.directions.sequences import collate, encode
from projected_grpo.pairs.pairset import select
from projected_grpo.train.passes import last_completion_index, layer_taps

if TYPE_CHECKING:
    from projected_grpo.train.config import TrainConfig


def advmod_layers(model) -> list[int]:
    """Decoder layers at 60-75% depth (Wu & Tang 2026), at least one."""
    n = len(model.model.layers)
    lo, hi = int(0.6 * n), max(int(0.6 * n), int(0.75 * n))
    return list(range(min(lo, n - 1), min(hi, n - 1) + 1))


@torch.no_grad()
def _last_token_states(model, adapter: Adapter, seqs, pad_id: int, micro_batch: int) -> torch.Tensor:
    """[n, H]: mean over advmod_layers of the residual state at each sequence's last token, adapter off."""
    device = next(model.parameters()).device
    feats: list[torch.Tensor] = []
    for i in range(0, len(seqs), micro_batch):
        ids, attn, comp = collate(seqs[i:i + micro_batch], pad_id, device)
        with adapter.disabled(), layer_taps(model, advmod_layers(model), last_completion_index(comp), feats):
            model.model(input_ids=ids, attention_mask=attn)
    return torch.cat(feats).cpu()


def advmod_concept(cfg: TrainConfig, model, tok, adapter: Adapter, micro_batch: int = 8) -> tuple[torch.Tensor, dict]:
    """(d, diagnostics): d = mean over pairs of h⁺ - h⁻ (last-token states at 60-75% depth, adapter
    at init), a fixed concept vector as in the paper. `generic` (the paper's): task-free shortcut
    vs diligence sentences (pairs/concepts.py), plain text; `pairs`: the authored hack pairs
    under their prompts (last completion token). The sanity line is the held-out sentences'
    paired accuracy (generic) or the in-sample one (pairs)."""
    if cfg.advmod_concept == "generic":
        from projected_grpo.pairs.concepts import EXTRACT, SHORTCUT_PAIRS

        def plain(text):  # the whole sentence is the "completion": its last token is read
            return tok(text, add_special_tokens=False).input_ids, 0
        h = {side: _last_token_states(model, adapter, [plain(p[j]) for p in SHORTCUT_PAIRS], tok.pad_token_id,
                                      micro_batch) for j, side in enumerate(("pos", "neg"))}
        d = (h["pos"][:EXTRACT] - h["neg"][:EXTRACT]).mean(0)
        held = (h["pos"][EXTRACT:] - h["neg"][EXTRACT:]) @ d
        return d, {"concept": "generic", "pairs": EXTRACT, "heldout_paired_accuracy": float((held > 0).float().mean())}
    pairs = select(cfg.pairs).pairs
    h = {side: _last_token_states(model, adapter, [encode(tok, p.prompt, getattr(p, side)) for p in pairs],
                                  tok.pad_token_id, micro_batch) for side in ("hack", "clean")}
    d = (h["hack"] - h["clean"]).mean(0)
    return d, {"concept": "pairs", "pairs": len(pairs),
               "insample_paired_accuracy": float((((h["hack"] - h["clean"]) @ d) > 0).float().mean())}
