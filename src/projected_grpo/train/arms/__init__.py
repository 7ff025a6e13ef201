"""The arm registry: the only place outside the arm modules that lists the arms. Importable
without torch (the arm modules import it lazily), so analysis/ reads it to group run folders.

How to add an arm: write `train/arms/myarm.py` with a subclass of `Arm` (base.py) that sets
`name` and the needs it has, declares its options dataclass, and overrides the hooks it uses;
then add one line below. TrainConfig composes the arms' options (OPTION_CLASSES); config
validation, the CLI, the trainer, the BLUF report, `pgrpo smoke`, results and plots read the
rest from the class.
"""

from __future__ import annotations

import dataclasses

from projected_grpo.train.arms.absorb import Absorb
from projected_grpo.train.arms.advmod import AdvMod
from projected_grpo.train.arms.base import Arm
from projected_grpo.train.arms.oracle import oracle_flags  # noqa: F401  (tests and tools read the oracle flags here)
from projected_grpo.train.arms.erase import Erase
from projected_grpo.train.arms.gt_penalty import GTPenalty
from projected_grpo.train.arms.gt_screen import GTScreen
from projected_grpo.train.arms.route import Route
from projected_grpo.train.arms.route_a import RouteA
from projected_grpo.train.arms.route_v import RouteV
from projected_grpo.train.arms.vanilla import Vanilla

# name -> arm class, in the order tables and plots list them
REGISTRY: dict[str, type[Arm]] = {c.name: c for c in (
    Vanilla, Erase, Route, Absorb, RouteA, AdvMod, GTPenalty, GTScreen,
    RouteV,  # issue 20's proof: one new file and this line
)}
ARM_NAMES: tuple[str, ...] = tuple(REGISTRY)
# every arm's options dataclasses, each once, in registry order: TrainConfig's bases (train/config.py)
OPTION_CLASSES: tuple[type, ...] = tuple(dict.fromkeys(oc for c in REGISTRY.values() for oc in c.option_classes()))
REFERENCE_ARM = Vanilla.name  # plain GRPO: the matched reference of results, sweeps and relearning


def arm_class(name: str) -> type[Arm]:
    from projected_grpo.errors import UserError

    if name not in REGISTRY:
        raise UserError(f"unknown arm {name!r}; arms: {', '.join(REGISTRY)}")
    return REGISTRY[name]


def names(where=lambda cls: True) -> tuple[str, ...]:
    """Arm names whose class satisfies `where`, e.g. names(lambda a: a.direction_kind)."""
    return tuple(n for n, c in REGISTRY.items() if where(c))


def direction_arms() -> tuple[str, ...]:
    return names(lambda a: a.direction_kind is not None)


def arm_order(name: str) -> int:
    """Sort key: registry order, unknown arms (old runs of a removed arm) last."""
    return ARM_NAMES.index(name) if name in REGISTRY else len(REGISTRY)


def resolve_variant(variant: str, arm: str) -> str:
    """The adapter an arm gets: `auto` is the arm's own (frozen_a for erase/route: they need B
    linear in ΔW; lora2r otherwise)."""
    return variant if variant != "auto" else (REGISTRY[arm].auto_variant if arm in REGISTRY else "lora2r")


def resolve_oracle_labels(arm: str, gt_labels: str) -> str:
    """The labels an oracle arm flags: strict (`hack`) or loose (+ attempted, correct_attempted).
    `auto`: the arm's default (loose for gt_screen, the brief's screening default; strict otherwise)."""
    if gt_labels != "auto":
        return gt_labels
    return getattr(REGISTRY.get(arm), "default_labels", "strict")


def read_by(arm: str, fields: dict) -> dict:
    """The fields an arm reads: shared ones, and arm-owned ones only if it owns them (a smoke run
    or a test fixture that configures every arm at once passes each arm its own)."""
    owned = owned_options()
    return {k: v for k, v in fields.items() if k not in owned or arm in owned[k]}


def owned_options() -> dict[str, list[str]]:
    """TrainConfig field -> the arms that read it (fields no arm owns are shared by all)."""
    out: dict[str, list[str]] = {}
    for n, c in REGISTRY.items():
        for f in c.all_options():
            out.setdefault(f, []).append(n)
    return out


def option_class(field_name: str) -> type:
    """The options dataclass that declares an arm-owned field (its `about` and `lacks` say why
    another arm refuses it)."""
    return next(oc for oc in OPTION_CLASSES if field_name in {f.name for f in dataclasses.fields(oc)})
