"""Rollout engines: sample completions for a batch of prompts, each row with the quarantine in
the forward or ablated (`deployed`; gen_deploy_frac decides how many). Engines share one small
interface so the fast decode loop (the GPU-speed issue) can replace transformers generation.
"""

from __future__ import annotations

from contextlib import nullcontext

import torch
from tqdm import tqdm

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.engine.contract import RolloutEngine, Rollouts, SamplingConfig  # noqa: F401  (re-exported)


def make_engine(kind: str, model, tok, adapter: Adapter | None = None, *, max_batch: int = 256,
                bucket: int = 256, compile: bool = True) -> RolloutEngine:
    """auto: the fast decode loop (engine/fast.py) on CUDA, transformers generate on CPU or for a
    model the fast engine does not implement (one line says so)."""
    kind = resolve_engine(kind, model, next(model.parameters()).device.type == "cuda")
    if kind == "hf":
        return HFGenerate(model, tok, adapter, max_batch=max_batch)
    if kind != "fast":
        raise ValueError(f"unknown rollout engine {kind!r}: auto, fast or hf")
    from projected_grpo.engine.fast import FastGenerate

    return FastGenerate(model, tok, adapter, max_batch=max_batch, bucket=bucket, compile=compile)


def resolve_engine(kind: str, model, on_cuda: bool) -> str:
    """The engine `kind` means for this model: auto is fast on CUDA where the fast engine
    implements the architecture (Qwen3, Llama), else hf."""
    if kind != "auto":
        return kind
    if not on_cuda:
        return "hf"
    from projected_grpo.engine.weights import unsupported

    why = unsupported(model)
    if why:
        print(f"engine: the fast engine does not support {why}; sampling with transformers generate", flush=True)
        return "hf"
    return "fast"


class HFGenerate:
    """transformers `generate`, one call per sampling mode (quarantine in the forward / ablated).
    With adapter=None the model is sampled as it is (teacher pools) and no row may be deployed."""

    def __init__(self, model, tok, adapter: Adapter | None = None, max_batch: int = 256):
        self.model, self.tok, self.adapter, self.max_batch = model, tok, adapter, max_batch

    def release(self):
        pass

    @torch.no_grad()
    def generate(self, prompt_ids: list[list[int]], deployed: list[bool], cfg: SamplingConfig, seed: int) -> Rollouts:
        if len(prompt_ids) != len(deployed):
            raise ValueError(f"{len(prompt_ids)} prompts but {len(deployed)} deployed flags")
        if self.adapter is None and any(deployed):
            raise ValueError(f"{sum(deployed)} row(s) ask for deployed=True (quarantine ablated), but this "
                             f"HFGenerate has no adapter: pass one, or sample every row with deployed=False")
        completions: list[list[int]] = [[] for _ in prompt_ids]
        bar = tqdm(total=len(prompt_ids), desc="generate", unit="row", leave=False, disable=None)  # terminal only
        for flag in (False, True):
            torch.manual_seed(seed * 2 + int(flag))
            rows_all = [i for i, d in enumerate(deployed) if d == flag]
            for start in range(0, len(rows_all), self.max_batch):
                self._chunk(rows_all[start:start + self.max_batch], prompt_ids, flag, cfg, completions)
                bar.update(len(rows_all[start:start + self.max_batch]))
        bar.close()
        return Rollouts(prompt_ids=[list(p) for p in prompt_ids], completion_ids=completions,
                        texts=[self.tok.decode(c, skip_special_tokens=True) for c in completions],
                        deployed=list(deployed), finished=[bool(c) and c[-1] == self.tok.eos_token_id for c in completions])

    def _chunk(self, rows: list[int], prompt_ids: list[list[int]], flag: bool, cfg: SamplingConfig,
               completions: list[list[int]]):
        device, eos = next(self.model.parameters()).device, self.tok.eos_token_id
        width = max(len(prompt_ids[i]) for i in rows)
        ids = torch.full((len(rows), width), self.tok.pad_token_id, dtype=torch.long)
        attn = torch.zeros_like(ids)
        for j, i in enumerate(rows):  # left padding: every row's prompt ends at the same column
            ids[j, width - len(prompt_ids[i]):] = torch.tensor(prompt_ids[i])
            attn[j, width - len(prompt_ids[i]):] = 1
        sampling = dict(do_sample=True, temperature=cfg.temperature, top_p=cfg.top_p, top_k=cfg.top_k) \
            if cfg.temperature > 0 else dict(do_sample=False, temperature=None, top_p=None, top_k=None)
        with self.adapter.ablated() if flag else nullcontext():
            out = self.model.generate(input_ids=ids.to(device), attention_mask=attn.to(device),
                                      max_new_tokens=cfg.max_new_tokens, eos_token_id=eos,
                                      pad_token_id=self.tok.pad_token_id, **sampling)
        for j, i in enumerate(rows):
            new = out[j, width:].tolist()
            completions[i] = new[: new.index(eos) + 1] if eos in new else new
