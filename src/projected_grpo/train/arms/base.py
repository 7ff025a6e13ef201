"""The arm contract. An arm is one module in this package that subclasses `Arm`; the registry
(`arms/__init__.py`) is the only other place that names it. What an arm declares:

    needs       direction_kind ("grad" | "act" | None), wants_pooled, wants_features, auto_variant,
                has_quarantine (deployment deletes a trained quarantine), reads_oracle, reads_pairs
    options     its options dataclasses (fields with defaults and help strings, declared in its own
                module); TrainConfig composes every registered arm's into its flat fields (the CLI
                and config.json stay flat), and another arm given one of them is a config error,
                so a flag an arm ignores cannot be given
    check       its own validation (adapter variant, contradictions between its options)
    build       its setup: the direction or concept it reads, and that setup's diagnostics
    hooks       shape_rewards, masks, on_students_done, on_backward, params_before_update, on_update
    report      its BLUF figures and the metric columns its hooks write
    smoke       the paths `pgrpo smoke` must see fire for it

The class attributes and classmethods are read without torch (analysis/ reads run folders
through the registry); torch is imported on first use by the hooks, through `torch` below.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from torch import Tensor

    from projected_grpo.train.batch import Batch
    from projected_grpo.train.config import TrainConfig
    from projected_grpo.train.passes import Behaviour


class _Lazy:
    """A module imported on first attribute access: the registry stays importable without torch."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        return getattr(importlib.import_module(self._name), attr)


torch = _Lazy("torch")


# An arm's options are frozen dataclasses with defaults and help strings. Two class variables say
# what to answer when an arm that does not read them is given one: "--FLAG VALUE {about}; arm X
# {lacks}"; an optional `option_problems(cfg)` returns its range checks (messages naming the flag).


@dataclass(frozen=True)
class QuarantineOptions:
    """Every arm with a quarantine reads it (absorb, route, routeA, routeV)."""
    about: ClassVar[str] = "configures the rollouts sampled with the quarantine ablated"
    lacks: ClassVar[str] = "deletes no quarantine at deployment"

    gen_deploy_frac: float = 0.0
    """share of student rollouts sampled with the quarantine ablated (vGROUT_pub: 0.25)"""
    advantage_baseline: Literal["group", "sampling_mode"] = "group"
    """the mean each row's reward is centred on: group (GRPO: every row of the prompt's group);
    sampling_mode: the group's rows sampled the same way (quarantine ablated or not), a baseline
    per behaviour policy (needs gen_deploy_frac > 0)"""

    def option_problems(self) -> list[str]:
        problems = []
        if not 0.0 <= self.gen_deploy_frac <= 1.0:
            problems.append(f"--gen-deploy-frac must be in [0, 1], got {self.gen_deploy_frac}")
        if self.advantage_baseline == "sampling_mode" and self.gen_deploy_frac == 0.0:
            problems.append("--advantage-baseline sampling_mode splits groups by sampling mode, but with "
                            "--gen-deploy-frac 0 every row is sampled one way: give --gen-deploy-frac > 0 or drop it")
        return problems


def mean_last(rows: list[dict], key: str, k: int) -> float:
    import math

    xs = [r[key] for r in rows if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]
    xs = [x for x in xs if not math.isnan(x)][-k:]
    return sum(xs) / len(xs) if xs else float("nan")


def fmt(v) -> str:
    import math

    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


class Arm:
    name = "vanilla"
    summary = "plain GRPO: both blocks train, both deploy"
    direction_kind: str | None = None  # "grad" | "act": the direction it reads
    reads_oracle = False
    has_quarantine = False
    wants_pooled = False
    wants_features = False
    reads_pairs = False  # cfg.pairs shapes what it reads (direction arms, advmod)
    auto_variant = "lora2r"  # the adapter `--variant auto` resolves to
    in_default_sweep = False  # `pgrpo sweep` runs it when no --arms are given
    options: tuple[type, ...] = ()  # its options dataclasses, besides those its base classes declare
    preset_defaults: dict[str, dict] = {}  # preset -> field overrides for this arm; "*": every preset not named
    metric_columns: tuple[str, ...] = ()  # metrics.jsonl keys its hooks write (besides the shared ones)

    # -- declarations, read without torch ----------------------------------------------------
    @classmethod
    def option_classes(cls) -> tuple[type, ...]:
        """Its options dataclasses: its base classes' first, then its own."""
        out: list[type] = []
        for c in reversed(cls.__mro__):
            out += [o for o in c.__dict__.get("options", ()) if o not in out]
        return tuple(out)

    @classmethod
    def all_options(cls) -> dict[str, type]:
        """Option field name -> the options dataclass that declares it."""
        return {f.name: oc for oc in cls.option_classes() for f in dataclasses.fields(oc)}

    @classmethod
    def check(cls, cfg: TrainConfig, variant: str) -> list[str]:
        """Contradictions specific to this arm (messages name the fields and the fix)."""
        return []

    @classmethod
    def figures(cls, cfg: TrainConfig, rows: list[dict], k: int) -> list[tuple[str, str, str]]:
        """Its BLUF lines: (name, value, should move)."""
        return []

    @classmethod
    def smoke_paths(cls, cfg: TrainConfig, rows: list[dict]) -> dict[str, bool]:
        """Paths of this arm that `pgrpo smoke` must see fire."""
        return {}

    @classmethod
    def label(cls, cfg: dict) -> str:
        """How runs of this arm are named in tables and run names (direction arms add the direction)."""
        return cls.name

    # -- setup ---------------------------------------------------------------------------------
    def __init__(self, cfg: TrainConfig, adapter):
        self.cfg, self.adapter = cfg, adapter
        self.direction = None  # the direction arms' DirectionSet (checkpointed and refreshed)
        self.direction_age = 0

    @classmethod
    def build(cls, cfg: TrainConfig, model, tok, adapter) -> tuple["Arm", dict]:
        """The arm, ready to train, and its setup's diagnostics (written to config.json)."""
        return cls(cfg, adapter), {}

    def describe(self, diag: dict) -> list[str]:
        """Lines for the run header."""
        return []

    def behaviour_needs(self, model) -> dict:
        """What the behaviour pass must record for this arm's hooks."""
        return dict(want_pooled=self.wants_pooled, feature_layers=None, feature_position="prompt")

    # -- hooks ---------------------------------------------------------------------------------
    def maybe_refresh(self, step: int, model, tok, say) -> float | None:
        return None

    def direction_metrics(self, overlap: float | None) -> dict:
        return {"direction/basis_overlap": overlap, "direction/age": None}

    def shape_rewards(self, rewards: Tensor, batch: Batch, beh: Behaviour, step: int,
                      oracle: list[dict] | None) -> tuple[Tensor, dict]:
        return rewards, {}

    def masks(self, batch: Batch, beh: Behaviour) -> tuple[Tensor, Tensor, dict]:
        n = len(batch)
        return torch.ones(n), torch.zeros(n), {}

    def on_students_done(self):
        pass

    def on_backward(self) -> dict:
        return {}

    def on_update(self, before: dict | None) -> dict:
        return {}

    def params_before_update(self) -> dict | None:
        return None

    def after_step(self):
        pass

    # -- checkpoint ------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state: dict):
        pass

    def checkpoint_extra(self) -> dict:
        return {"direction_age": self.direction_age}

    def restore(self, direction, extra: dict):
        if direction is not None:
            self.direction = direction
        self.direction_age = extra.get("direction_age", 0)
