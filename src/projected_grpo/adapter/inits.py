"""Initial values of each variant's tensors, per target Linear.

lora2r inits beyond Gaussian (method brief section 3):
- pissa: the top-2r singular directions of W, split even/odd across the two blocks;
- corda: a basis oriented by the contrastive input covariance of the pairs (CorDA-style: the
  top-2r eigenvectors of C = ΔXᵀΔX / n, ΔX the pairs' pooled input differences, completed with
  random orthonormal directions when n < 2r; B = W Aᵀ so B A is W restricted to that basis);
- scorda: Gaussian, then the quarantine's first row/column seeded with the signed hack axis
  u_in = unit(mean(x_hack - x_clean)), u_out = unit(W u_in); scorda_rev seeds the deployed
  block instead (the control). Seeds keep the norms of the Gaussian rows they replace.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor, nn


@dataclass
class Contrast:
    """Per-module statistics of the pairs' inputs to a Linear (from pairs/collect.py)."""
    diffs: Tensor  # [n_pairs, d_in]: completion-pooled x_hack - x_clean, one row per pair

    @property
    def mean_diff(self) -> Tensor:
        return self.diffs.mean(0)

    def basis(self, n: int, gen: torch.Generator) -> Tensor:
        """[n, d_in] orthonormal rows: the top right singular vectors of the differences (the
        eigenvectors of their covariance), completed at random if there are too few pairs."""
        _, s, vh = torch.linalg.svd(self.diffs.double(), full_matrices=False)
        top = vh[(s > 1e-9 * s.max().clamp_min(1e-30))][:n]
        if len(top) < n:
            extra = torch.randn(n - len(top), self.diffs.shape[1], generator=gen, dtype=torch.float64)
            extra -= (extra @ top.T) @ top
            top = torch.cat([top, torch.linalg.qr(extra.T)[0].T])
        return top.float()


def _weight(base: nn.Linear) -> Tensor:
    return base.weight.detach().to(torch.float32)


def frozen_a(base: nn.Linear, r: int, gen: torch.Generator) -> dict[str, Tensor]:
    d_out, d_in = base.weight.shape
    a = torch.empty(r, d_in)
    nn.init.orthogonal_(a, generator=gen)  # rows orthonormal: A Aᵀ = I_r
    return {"A": a, "B_dep": torch.zeros(d_out, r), "B_quar": torch.zeros(d_out, r)}


def _split(a: Tensor, b: Tensor) -> dict[str, Tensor]:
    """[2r, d_in], [d_out, 2r] -> the two blocks (even indices deployed, odd quarantine)."""
    out = {"A_dep": a[0::2], "A_quar": a[1::2], "B_dep": b[:, 0::2], "B_quar": b[:, 1::2]}
    out.update({k.replace("_", "0_", 1): v.clone() for k, v in list(out.items())})
    return {k: v.contiguous() for k, v in out.items()}


def lora2r(base: nn.Linear, r: int, gen: torch.Generator, init: str = "lora",
           contrast: Contrast | None = None) -> dict[str, Tensor]:
    d_out, d_in = base.weight.shape
    if init == "pissa":
        u, s, vh = torch.linalg.svd(_weight(base), full_matrices=False)
        root = s[: 2 * r].sqrt()
        return _split(root[:, None] * vh[: 2 * r], u[:, : 2 * r] * root[None, :])
    if init == "corda":
        if contrast is None:
            raise ValueError("init 'corda' needs the pairs' contrastive statistics")
        a = contrast.basis(2 * r, gen)  # [2r, d_in], orthonormal rows
        return _split(a, _weight(base) @ a.T)
    a = torch.randn(2 * r, d_in, generator=gen) / d_in**0.5
    b = torch.randn(d_out, 2 * r, generator=gen) / (2 * r) ** 0.5
    out = _split(a, b)
    if init in ("scorda", "scorda_rev"):
        if contrast is None:
            raise ValueError(f"init {init!r} needs the pairs' contrastive statistics")
        block = "quar" if init == "scorda" else "dep"
        u_in = contrast.mean_diff.to(torch.float32)
        u_in = u_in / u_in.norm().clamp_min(1e-12)
        u_out = _weight(base) @ u_in
        u_out = u_out / u_out.norm().clamp_min(1e-12)
        for prefix in ("A", "A0"):
            row = out[f"{prefix}_{block}"][0]
            out[f"{prefix}_{block}"][0] = u_in * row.norm()
        for prefix in ("B", "B0"):
            col = out[f"{prefix}_{block}"][:, 0]
            out[f"{prefix}_{block}"][:, 0] = u_out * col.norm()
    elif init != "lora":
        raise ValueError(f"unknown init {init!r}")
    return out


def svd(base: nn.Linear, r: int, cache_dir: str | None) -> dict[str, Tensor]:
    """Top-r singular triplets of W (fp32), cached on disk keyed by a hash of W's bytes."""
    w = _weight(base)
    key = hashlib.sha256(w.cpu().numpy().tobytes()).hexdigest()[:32] + f"-r{r}"
    path = Path(cache_dir) / f"{key}.safetensors" if cache_dir else None
    if path is not None and path.exists():
        from safetensors.torch import load_file

        cached = load_file(str(path))
        u, vh = cached["U"], cached["Vh"]
    else:
        u, _, vh = torch.linalg.svd(w, full_matrices=False)
        u, vh = u[:, :r].contiguous(), vh[:r].contiguous()
        if path is not None:
            from safetensors.torch import save_file

            path.parent.mkdir(parents=True, exist_ok=True)
            save_file({"U": u.cpu(), "Vh": vh.cpu()}, str(path))
    return {"U": u, "Vh": vh, "s_dep": torch.zeros(r), "s_quar": torch.zeros(r)}
