"""Checkpoints: everything a run needs to continue as if it had never stopped.

    RUN_DIR/checkpoints/step-000050/
        adapter.safetensors, adapter_config.json   both blocks and their frozen copies
        direction.safetensors                      the current direction (after refreshes)
        state.pt                                   step, optimizer + scheduler, arm state (the
                                                   routeA activation buffer), RNG states, the
                                                   direction's age

A checkpoint is written to a temporary folder and renamed into place, so a run killed while
saving leaves the previous checkpoint intact. The problem schedule, teacher choice and sampling
seeds are functions of (seed, step), so they need no state.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import torch

from projected_grpo.directions.extract import DirectionSet


def _dir(run_dir: Path) -> Path:
    return run_dir / "checkpoints"


def latest(run_dir: Path) -> Path | None:
    found = sorted(p for p in _dir(run_dir).glob("step-*") if p.is_dir() and not p.name.endswith(".tmp"))
    return found[-1] if found else None


def save(run_dir: Path, step: int, adapter, optimizer, arm, direction: DirectionSet | None, keep: int,
         extra: dict | None = None) -> Path:
    final = _dir(run_dir) / f"step-{step:06d}"
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    adapter.save(tmp)
    if direction is not None:
        direction.save(tmp / "direction.safetensors")
    rng = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save({"step": step, "optimizer": optimizer.state_dict(), "arm": arm.state_dict(), "rng": rng,
                "extra": extra or {}},
               tmp / "state.pt")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    for old in sorted(p for p in _dir(run_dir).glob("step-*") if p.is_dir() and not p.name.endswith(".tmp"))[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load(folder: Path, adapter, optimizer, arm) -> tuple[int, DirectionSet | None, dict]:
    """Restore in place; returns (step, direction or None, the trainer's extra state)."""
    adapter.load(folder)
    state = torch.load(folder / "state.pt", weights_only=False)
    optimizer.load_state_dict(state["optimizer"])
    arm.load_state_dict(state["arm"])
    random.setstate(state["rng"]["python"])
    torch.set_rng_state(state["rng"]["torch"])
    if "cuda" in state["rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["rng"]["cuda"])
    direction = DirectionSet.load(folder / "direction.safetensors") if (folder / "direction.safetensors").exists() else None
    return int(state["step"]), direction, state["extra"]
