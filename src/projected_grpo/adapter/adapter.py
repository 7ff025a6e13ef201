"""Attach dual-block adapters to a model and drive them: masks, capture, per-rollout gradients,
deployment ablation, decay toward init, save/load.

    adapter = Adapter(model, AdapterConfig(variant="frozen_a", rank=32))
    with adapter.masks(m, d):            # per-row keep / absorb / route
        loss = ...; loss.backward()      # masks must cover backward (gradient checkpointing)
    with adapter.ablated():              # as deployed: quarantine reset to its initial state
        ...
    adapter.deploy()                     # permanent form
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, Literal

import torch
from torch import Tensor, nn

from projected_grpo.adapter import inits
from projected_grpo.adapter.dual import BLOCKS, DualBlockLinear, Runtime, Variant

Init = Literal["lora", "pissa", "corda", "scorda", "scorda_rev"]
DEFAULT_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class AdapterConfig:
    variant: Variant = "lora2r"
    """frozen_a (erase/route: linear in B), lora2r (routeA/absorb), svd (AntiPaSTO gains)"""
    rank: int = 32
    """r per block (the adapter holds 2r)"""
    targets: tuple[str, ...] = DEFAULT_TARGETS
    """Linear module names (last path component) that get an adapter"""
    init: Init = "lora"
    """lora2r initialisation: lora (Gaussian), pissa, corda, scorda, scorda_rev"""
    seed: int = 0
    """seed of the random initial tensors"""
    svd_cache: str = ""
    """folder caching the svd variant's decompositions (keyed by a hash of W)"""

    def __post_init__(self):
        if self.rank < 1:
            raise ValueError(f"adapter rank must be >= 1, got {self.rank}")
        if self.init != "lora" and self.variant != "lora2r":
            raise ValueError(f"init {self.init!r} is a lora2r initialisation; variant is {self.variant!r}")
        if not self.targets:
            raise ValueError("adapter targets must name at least one Linear")


class Adapter:
    def __init__(self, model: nn.Module, cfg: AdapterConfig, contrast: dict[str, inits.Contrast] | None = None):
        self.model, self.cfg, self.runtime = model, cfg, Runtime()
        if cfg.init in ("corda", "scorda", "scorda_rev") and not contrast:
            raise ValueError(f"init {cfg.init!r} needs the pairs' contrastive statistics (pairs/collect.py)")
        model.requires_grad_(False)
        gen = torch.Generator().manual_seed(cfg.seed)
        targets = [(n, m) for n, m in model.named_modules()
                   if isinstance(m, nn.Linear) and n.rsplit(".", 1)[-1] in cfg.targets]
        if not targets:
            from projected_grpo.errors import UserError

            names = sorted({n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, nn.Linear)})
            raise UserError(f"--targets {' '.join(cfg.targets)}: no Linear of that name in the model; "
                            f"its Linears are {', '.join(names)}")
        self.modules: dict[str, DualBlockLinear] = {}
        for name, base in targets:
            if cfg.variant == "frozen_a":
                init = inits.frozen_a(base, cfg.rank, gen)
            elif cfg.variant == "lora2r":
                init = inits.lora2r(base, cfg.rank, gen, cfg.init, (contrast or {}).get(name))
            else:
                init = inits.svd(base, cfg.rank, cfg.svd_cache or None)
            module = DualBlockLinear(base, name, cfg.variant, cfg.rank, self.runtime, init).to(base.weight.device)
            parent_name, _, child = name.rpartition(".")
            setattr(model.get_submodule(parent_name), child, module)
            self.modules[name] = module

    # -- parameters ------------------------------------------------------------------------
    def parameters(self, block: str | None = None) -> list[nn.Parameter]:
        blocks = BLOCKS if block is None else (block,)
        return [p for m in self.modules.values() for b in blocks for p in m.block_params(b).values()]

    def named_parameters(self) -> Iterator[tuple[str, nn.Parameter]]:
        for name, m in self.modules.items():
            for key, p in m.named_parameters(recurse=False):
                yield f"{name}.{key}", p

    # -- masks and capture -----------------------------------------------------------------
    @contextmanager
    def masks(self, m: Tensor | None, d: Tensor | None):
        """Per-row (m, d): keep (0,0), absorb (1,0), route (1,1). Run backward inside."""
        for t, what in ((m, "m"), (d, "d")):
            if t is not None and t.dim() != 1:
                raise ValueError(f"mask {what} must be [batch], got shape {tuple(t.shape)}")
        self.runtime.set_masks(m, d)
        try:
            yield
        finally:
            self.runtime.set_masks(None, None)

    @contextmanager
    def capture(self, token_mask: Tensor):
        """Pool each module's deployed bottleneck over the masked tokens: yields name -> [B, r]."""
        self.runtime.token_mask, self.runtime.pooled = token_mask, {}
        try:
            yield self.runtime.pooled
        finally:
            self.runtime.token_mask = None

    @contextmanager
    def disabled(self):
        """The base model alone (the KL reference): neither block in the forward."""
        self.runtime.disabled = True
        try:
            yield
        finally:
            self.runtime.disabled = False

    @contextmanager
    def per_sample(self):
        """Record what per-rollout gradients need; call per_sample_grads() after backward."""
        self.runtime.per_sample, self.runtime.saved = True, {}
        try:
            yield self
        finally:
            self.runtime.per_sample = False

    def per_sample_grads(self) -> dict[str, Tensor]:
        """Exact per-rollout gradients of each module's direction parameter, [B, *shape], from
        one backward: grad(B_dep)[b] = sum_t g[b,t] h[b,t]ᵀ with g = dL/d(dep output)."""
        out = {}
        for name, (h, grads) in self.runtime.saved.items():
            if not grads:
                continue
            g, h = grads[0].float(), h.float()
            g, h = g.reshape(g.shape[0], -1, g.shape[-1]), h.reshape(h.shape[0], -1, h.shape[-1])
            m = self.modules[name]
            out[name] = (torch.einsum("btd,dr,btr->br", g, m.U.float(), h) if m.variant == "svd"
                         else torch.einsum("btd,btr->bdr", g, h))
        self.runtime.saved = {}
        return out

    # -- deployment ------------------------------------------------------------------------
    @contextmanager
    def ablated(self):
        """Temporarily deployed: every quarantine block at its initial value; restored after."""
        saved = {n: {k: p.detach().clone() for k, p in m.block_params("quar").items()}
                 for n, m in self.modules.items()}
        for m in self.modules.values():
            m.reset_block("quar")
        try:
            yield
        finally:
            with torch.no_grad():
                for n, m in self.modules.items():
                    for k, p in m.block_params("quar").items():
                        p.copy_(saved[n][k])

    def deploy(self):
        """Permanent deployment ablation: reset every quarantine block to its initial value."""
        for m in self.modules.values():
            m.reset_block("quar")

    def _trained(self, block: str) -> tuple[list[nn.Parameter], list[Tensor] | None]:
        """One block's trained tensors and their initial values: the frozen copies (lora2r), or
        None where every initial value is 0 (frozen_a B, svd gains)."""
        pairs = [(p, m.init_value(k)) for m in self.modules.values() for k, p in m.block_params(block).items()]
        params = [p for p, _ in pairs]
        return params, ([init for _, init in pairs] if self.cfg.variant == "lora2r" else None)

    @torch.no_grad()
    def decay_toward_init(self, factor: float):
        """p <- p - factor * (p - p_init): weight decay toward the initial copies (decaying
        lora2r toward 0 would drive the net delta to -B0 A0; method brief pitfall 3). One
        foreach operator per block, not a few per tensor: the step is operator-bound."""
        for block in BLOCKS:
            params, inits = self._trained(block)
            if inits is None:
                torch._foreach_mul_(params, 1 - factor)
            else:
                torch._foreach_lerp_(params, inits, factor)

    def block_norms(self) -> dict[str, float]:
        """Each block's distance from its initial values (L2 over all modules' parameters): how
        far training has moved the deployed block and the quarantine."""
        out = {}
        with torch.no_grad():
            for block in BLOCKS:
                params, inits = self._trained(block)
                diffs = params if inits is None else torch._foreach_sub(params, inits)
                out[block] = float(torch.nn.utils.get_total_norm(diffs)) if diffs else 0.0
        return out

    # -- save / load -----------------------------------------------------------------------
    def state(self) -> dict[str, Tensor]:
        return {f"{n}.{k}": t.detach().cpu().contiguous() for n, m in self.modules.items()
                for k, t in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False))}

    def save(self, folder: str | Path):
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        save_file(self.state(), str(folder / "adapter.safetensors"))
        (folder / "adapter_config.json").write_text(json.dumps(asdict(self.cfg), indent=2) + "\n")

    @torch.no_grad()
    def load(self, folder: str | Path):
        from safetensors.torch import load_file

        folder = Path(folder)
        saved_cfg = json.loads((folder / "adapter_config.json").read_text())
        saved_cfg["targets"] = tuple(saved_cfg["targets"])
        if AdapterConfig(**saved_cfg) != self.cfg:
            raise ValueError(f"{folder}: adapter config {saved_cfg} differs from this adapter's {asdict(self.cfg)}")
        state = load_file(str(folder / "adapter.safetensors"))
        mine = self.state()
        if set(state) != set(mine):
            raise ValueError(f"{folder}: tensor names differ from this adapter's "
                             f"(missing {sorted(set(mine) - set(state))[:3]}, extra {sorted(set(state) - set(mine))[:3]})")
        for n, m in self.modules.items():
            for k, t in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
                t.copy_(state[f"{n}.{k}"])
