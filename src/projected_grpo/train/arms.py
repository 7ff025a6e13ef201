"""The intervention arms. Everything else in a step is shared; an arm may only
    shape_rewards   change the reward before group normalisation (advmod; gt_* read the oracle)
    masks           choose each rollout's (m, d): keep (0,0), absorb (1,0), route (1,1)
    on_backward     act on the accumulated gradient before clipping (erase / route)
    on_update       act on the optimizer's update (erase / route with project_update)

| arm        | masks                 | gradient / update                         | deployed model      |
|------------|-----------------------|-------------------------------------------|---------------------|
| vanilla    | (1,0): both blocks    | -                                         | both blocks         |
| absorb     | (1,0) pinned          | -                                         | quarantine deleted  |
| erase      | (0,0): quarantine out | g_dep <- g_dep - Vᵀ relu(V g_dep)         | = as trained        |
| route      | (1,0)                 | as erase; g_quar <- the removed part      | quarantine deleted  |
| routeA     | activation gate       | -                                         | quarantine deleted  |
| advmod     | (1,0)                 | r' from a concept score (Wu & Tang 2026)  | both blocks         |
| gt_penalty | (1,0)                 | r' = r - 3 on oracle-flagged rollouts     | both blocks         |
| gt_screen  | (1,0)                 | flagged rewards NaN: out of the baseline  | both blocks         |

gt_penalty and gt_screen are oracle upper bounds: the only code that receives oracle labels,
and every artifact of theirs says `reads_oracle: true`.
"""

from __future__ import annotations

import random

import torch
from torch import Tensor

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.directions.extract import DirectionSet
from projected_grpo.train.batch import Batch, seed_of
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.gate import ActivationGate
from projected_grpo.train.intervene import cin_of, direction_grads, erase_, project_update_
from projected_grpo.train.passes import Behaviour

LOOSE = ("hack", "attempted", "correct_attempted")


class Arm:
    name = "vanilla"
    direction_kind: str | None = None  # "grad" | "act": the direction it reads
    reads_oracle = False
    wants_pooled = False
    wants_features = False

    def __init__(self, cfg: TrainConfig, adapter: Adapter, direction: DirectionSet | None = None):
        self.cfg, self.adapter, self.direction = cfg, adapter, direction

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

    def on_update(self, before: dict[str, Tensor] | None) -> dict:
        return {}

    def params_before_update(self) -> dict[str, Tensor] | None:
        return None

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state: dict):
        pass


class Absorb(Arm):
    name = "absorb"


class Erase(Arm):
    """Project the deployed gradient (or update) orthogonal to the hack-ward part of span(V)."""
    name = "erase"
    direction_kind = "grad"
    route = False

    def __init__(self, cfg, adapter, direction):
        super().__init__(cfg, adapter, direction)
        self.g_student: dict[str, Tensor] = {}

    def masks(self, batch, beh):
        n = len(batch)
        # erase: the quarantine stays out of the forward (m = 0) so it gets exactly no gradient
        return (torch.ones(n) if self.route else torch.zeros(n)), torch.zeros(n), {}

    def on_students_done(self):
        self.g_student = direction_grads(self.adapter, self.direction)

    def on_backward(self) -> dict:
        cfg = self.cfg
        g = direction_grads(self.adapter, self.direction)
        g_t = {n: g[n] - self.g_student.get(n, torch.zeros_like(g[n])) for n in g}
        out = {"cin_s": cin_of(self.g_student, self.direction) if self.g_student else float("nan"),
               "cin_t": cin_of(g_t, self.direction) if any(float(t.norm()) > 0 for t in g_t.values()) else float("nan")}
        if cfg.project_update:
            out["cin"] = cin_of(g, self.direction)
            if self.route:  # the quarantine moves only by what the update projection parks in it
                for p in self.adapter.parameters("quar"):
                    p.grad = None
            return out
        s = erase_(self.adapter, self.direction, cfg.proj_gate, route=self.route, overshoot=cfg.overshoot)
        return dict(out, cin=s.cin, cout=s.cout, fired=s.fired)

    def params_before_update(self):
        if not self.cfg.project_update:
            return None
        return {n: self.adapter.modules[n].direction_param.detach().clone() for n in self.direction.vectors}

    def on_update(self, before):
        if before is None:
            return {}
        s = project_update_(self.adapter, self.direction, before, self.cfg.proj_gate, route=self.route,
                            overshoot=self.cfg.overshoot)
        return {"cin_u": s.cin, "cout": s.cout, "fired": s.fired}


class Route(Erase):
    name = "route"
    route = True


class RouteA(Arm):
    """Per-rollout keep / absorb / route from the v_act score's place in the buffer's tails."""
    name = "routeA"
    direction_kind = "act"
    wants_pooled = True

    def __init__(self, cfg, adapter, direction):
        super().__init__(cfg, adapter, direction)
        self.gate = ActivationGate(cfg.gate, list(direction.vectors))

    def masks(self, batch, beh):
        dec = self.gate(beh.pooled, self.direction)
        s = dec.score
        q = torch.quantile(s.double(), torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)).tolist()
        return dec.m, dec.d, {"keep": float((dec.m == 0).float().mean()), "route": float(dec.d.float().mean()),
                              "t_lo": dec.t_lo, "t_hi": dec.t_hi, "dp10": q[0], "dp50": q[1], "dp90": q[2],
                              "warm": float(dec.warm), "scores": s}

    def state_dict(self):
        return {"gate": self.gate.state_dict()}

    def load_state_dict(self, state):
        self.gate.load_state_dict(state["gate"])


class AdvMod(Arm):
    """Wu & Tang 2026: r' from a one-sided z-scored concept score s = h · d_concept, with h the
    residual stream averaged over layers at 60-75% depth, applied before the group baseline.
    Default as in the paper (method brief section 9): h at the prompt's last token, d_concept =
    mean h⁺ - h⁻ over generic shortcut/diligence sentences. At the prompt position every rollout of
    a group scores the same, so the shaping reweights prompts, not rollouts within a group;
    `--advmod-position completion --advmod-concept pairs` scores each rollout's last token against
    the hack pairs' concept instead (this project's earlier variant)."""
    name = "advmod"
    wants_features = True

    def __init__(self, cfg, adapter, concept: Tensor):
        super().__init__(cfg, adapter, None)
        self.concept = concept.float()

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        s = beh.features.float() @ self.concept
        z = torch.zeros_like(s)
        groups = [batch.group.cpu() == g for g in batch.group.unique().cpu()] if self.cfg.advmod_norm == "group" \
            else [torch.ones_like(s, dtype=torch.bool)]
        for sel in groups:
            z[sel] = (s[sel] - s[sel].mean()) / max(float(s[sel].std(unbiased=False)), 0.1)
        a = self.cfg.advmod_alpha
        if self.cfg.advmod_kind == "multiplicative":
            shaped = rewards * (1 - a * torch.sigmoid(z) * (z > 0).float())
        else:
            shaped = rewards - a * z.clamp_min(0)
        return shaped, {"penalty": float((rewards - shaped).mean()), "flagged": float((z > 0).float().mean())}


def oracle_flags(oracle: list[dict], cfg: TrainConfig, step: int) -> Tensor:
    """1 where the (optionally noisy) ground-truth monitor flags a rollout."""
    labels = LOOSE if cfg.oracle_labels == "loose" else ("hack",)
    rng = random.Random(seed_of("gt-noise", cfg.seed, step))
    flags = []
    for a in oracle:
        f = a.get("label") in labels
        if cfg.gt_accuracy < 1.0 and rng.random() > cfg.gt_accuracy:
            f = not f
        flags.append(float(f))
    return torch.tensor(flags)


class GTPenalty(Arm):
    name = "gt_penalty"
    reads_oracle = True

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        if oracle is None:
            raise RuntimeError("gt_penalty is an oracle arm: the trainer must hand it the oracle labels")
        flags = oracle_flags(oracle, self.cfg, step)
        return rewards - self.cfg.gt_penalty_value * flags, {"penalty": float(self.cfg.gt_penalty_value * flags.mean()),
                                                             "flagged": float(flags.mean())}


class GTScreen(Arm):
    name = "gt_screen"
    reads_oracle = True

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        if oracle is None:
            raise RuntimeError("gt_screen is an oracle arm: the trainer must hand it the oracle labels")
        flags = oracle_flags(oracle, self.cfg, step)
        # NaN: left out of the group mean/std and given advantage 0 (loss.group_advantages)
        return torch.where(flags > 0, torch.full_like(rewards, float("nan")), rewards), {"flagged": float(flags.mean())}


ARM_CLASSES = {c.name: c for c in (Arm, Absorb, Erase, Route, RouteA, AdvMod, GTPenalty, GTScreen)}


def make_arm(cfg: TrainConfig, adapter: Adapter, direction: DirectionSet | None = None,
             concept: Tensor | None = None) -> Arm:
    cls = ARM_CLASSES[cfg.arm]
    if cls.direction_kind is not None:
        if direction is None or not direction.vectors:
            raise ValueError(f"arm {cfg.arm} needs a non-empty {cls.direction_kind} direction set")
        if direction.kind != cls.direction_kind:
            raise ValueError(f"arm {cfg.arm} reads a {cls.direction_kind} direction, got {direction.kind}")
        return cls(cfg, adapter, direction)
    if cls is AdvMod:
        if concept is None:
            raise ValueError("advmod needs its concept vector")
        return AdvMod(cfg, adapter, concept)
    return cls(cfg, adapter)
