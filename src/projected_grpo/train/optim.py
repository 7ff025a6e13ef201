"""Optimiser of the adapter: AdamW without its own decay, decoupled decay toward the adapter's
initial values, global gradient clipping, linear warm-up then cosine to 0.

Decay toward init, not toward 0 (method brief pitfall 3): lora2r's net delta is B A - B0 A0,
so decaying A, B toward 0 would drive it to -B0 A0; for frozen_a and svd the init is 0 anyway.
"""

from __future__ import annotations

import math

import torch

from projected_grpo.adapter.adapter import Adapter


def lr_factor(step: int, warmup: int, total: int) -> float:
    """Multiplier of the base lr at optimizer step `step` (0-based)."""
    if warmup and step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


class AdapterOptimizer:
    def __init__(self, adapter: Adapter, lr: float, betas: tuple[float, float], weight_decay: float,
                 grad_clip: float, warmup: int, total_steps: int):
        self.adapter, self.weight_decay, self.grad_clip = adapter, weight_decay, grad_clip
        self.params = adapter.parameters()
        self.opt = torch.optim.AdamW(self.params, lr=lr, betas=tuple(betas), weight_decay=0.0)
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, lambda s: lr_factor(s, warmup, total_steps))

    def zero_grad(self):
        self.opt.zero_grad(set_to_none=True)

    def grad_norms(self) -> dict[str, float]:
        """L2 norms of the deployed and the quarantine gradients, and qmass = |g_quar| / (|g_dep| + |g_quar|)."""
        out = {}
        for block in ("dep", "quar"):  # one foreach norm and one sync per block, not per tensor
            grads = [p.grad for p in self.adapter.parameters(block) if p.grad is not None]
            out[block] = float(torch.nn.utils.get_total_norm(grads)) if grads else 0.0
        total = out["dep"] + out["quar"]
        out["qmass"] = out["quar"] / total if total > 0 else float("nan")
        return out

    def step(self) -> dict[str, float]:
        """Clip, step, decay toward init, advance the schedule. Returns the pre-clip norm and lr."""
        grads = [p for p in self.params if p.grad is not None]
        norm = torch.nn.utils.clip_grad_norm_(grads, self.grad_clip if self.grad_clip > 0 else float("inf"))
        lr = self.opt.param_groups[0]["lr"]
        self.opt.step()
        if self.weight_decay > 0:
            self.adapter.decay_toward_init(lr * self.weight_decay)
        self.sched.step()
        return {"gn": float(norm), "lr": lr}

    def state_dict(self) -> dict:
        return {"opt": self.opt.state_dict(), "sched": self.sched.state_dict()}

    def load_state_dict(self, state: dict):
        self.opt.load_state_dict(state["opt"])
        self.sched.load_state_dict(state["sched"])
        # the saved lr is the old schedule's; a run extended with --steps continues on the new one
        # (the scheduler keeps only its step count), which gives the same value when steps are unchanged
        for group, base, fn in zip(self.opt.param_groups, self.sched.base_lrs, self.sched.lr_lambdas):
            group["lr"] = base * fn(self.sched.last_epoch)
