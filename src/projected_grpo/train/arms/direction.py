"""What every arm that reads a hack direction shares (erase, route, routeA, routeV): building the
direction (or one of its controls) from the pairs, refreshing it, its age, and its options.
Not an arm itself: the registry lists only its subclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from projected_grpo.directions.controls import Control
from projected_grpo.train.arms.base import Arm, torch  # noqa: F401  (torch: subclasses' hooks)


@dataclass(frozen=True)
class DirectionOptions:
    about: ClassVar[str] = "configures the hack direction"
    lacks: ClassVar[str] = "reads no hack direction"

    direction: Control = "real"
    """hack direction: real, or a control: haar, haar_neg (the same Haar draw negated), shuffled, null
    (null_pairs), reverse"""
    direction_seed: int = 0
    """seed of the haar, haar_neg and shuffled controls"""
    refresh_every: int = 0
    """re-extract the direction every N steps, quarantine ablated (0: never)"""
    refresh_min_overlap: float = 0.2
    """reject a refresh whose basis_overlap with the current direction is below this"""

    def option_problems(self) -> list[str]:
        return [] if self.refresh_every >= 0 else [f"--refresh-every must be >= 0, got {self.refresh_every}"]


class DirectionArm(Arm):
    direction_kind = "grad"
    reads_pairs = True
    options = (DirectionOptions,)

    @classmethod
    def label(cls, cfg: dict) -> str:
        return f"{cls.name} ({cfg.get('direction', 'real')})"

    @classmethod
    def figures(cls, cfg, rows, k):
        if cfg.direction == "real":
            return []
        return [("direction control", cfg.direction, "a control: should NOT match the real direction's effect")]

    def __init__(self, cfg, adapter, direction):
        super().__init__(cfg, adapter)
        if direction is None or not direction.vectors:
            raise ValueError(f"arm {self.name} needs a non-empty {self.direction_kind} direction set")
        if direction.kind != self.direction_kind:
            raise ValueError(f"arm {self.name} reads a {self.direction_kind} direction, got {direction.kind}")
        self.direction = direction

    @classmethod
    def build(cls, cfg, model, tok, adapter):
        from projected_grpo.train import setup

        direction, diag = setup.direction(cfg, model, tok, adapter, cls.direction_kind, cls.extract_config(cfg))
        return cls(cfg, adapter, direction), diag

    @classmethod
    def extract_config(cls, cfg):
        return cfg.extract_config(cls.direction_kind)

    def describe(self, diag):
        cfg, d = self.cfg, diag
        held = f"; held-out modes {', '.join(cfg.held_out_modes)} left out of the pairs" if cfg.held_out_modes else ""
        return [f"direction from pairs {cfg.pairs}{held}: paired accuracy {d.get('paired_accuracy', float('nan')):.3f}, "
                f"AUROC {d.get('auroc', float('nan')):.3f}, {d.get('modules_kept')}/{d.get('modules_total')} modules"]

    def maybe_refresh(self, step, model, tok, say):
        """Re-extract the direction (quarantine ablated); keep the old one if the new one has
        rotated away (basis_overlap below the guard)."""
        from projected_grpo.directions.extract import basis_overlap, extract
        from projected_grpo.train import setup

        cfg = self.cfg
        if not cfg.refresh_every or step == 1 or (step - 1) % cfg.refresh_every:
            return None
        new, _ = extract(model, tok, self.adapter, setup.pair_selection(cfg), self.extract_config(cfg),
                         cfg.model, out_dir=None)
        overlap = basis_overlap(new, self.direction)
        if overlap >= cfg.refresh_min_overlap:
            self.direction, self.direction_age = new, 0
        else:
            say(f"step {step}: refresh rejected (basis_overlap {overlap:.3f} < {cfg.refresh_min_overlap})")
        return overlap

    def direction_metrics(self, overlap):
        return {"direction/basis_overlap": overlap, "direction/age": self.direction_age}

    def after_step(self):
        self.direction_age += 1
