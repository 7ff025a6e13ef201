"""erase: masks (0,0), the quarantine stays out of the forward; the deployed gradient (or, with
--project-update, the optimizer's update) is projected orthogonal to the hack-ward part of span(V):
g_dep <- g_dep - Vᵀ relu(V g_dep) (one_sided gate). Needs B linear in ΔW: frozen_a or svd."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from projected_grpo.train.arms.base import fmt, mean_last, torch
from projected_grpo.train.arms.direction import DirectionArm

ProjGate = Literal["one_sided", "no_gate", "reverse"]
PROJ_GATES: tuple[str, ...] = ProjGate.__args__


@dataclass(frozen=True)
class ProjectionOptions:
    about: ClassVar[str] = "configures the erase/route projection"
    lacks: ClassVar[str] = "projects nothing"

    proj_gate: ProjGate = "one_sided"
    """erase/route: one_sided (remove only the hack-ward part), no_gate, reverse"""
    overshoot: float = 1.0
    """erase/route: multiple of the in-span component removed"""
    project_update: bool = False
    """erase/route: project the optimizer's update instead of the raw gradient (AdamW momentum
    otherwise re-introduces the removed component; method brief pitfall 2)"""


class Erase(DirectionArm):
    name = "erase"
    in_default_sweep = True
    summary = "project the hack-ward part of the deployed gradient away"
    direction_kind = "grad"
    auto_variant = "frozen_a"  # the projection needs B linear in ΔW
    route = False  # Route: park the removed part in the quarantine instead of dropping it
    options = (ProjectionOptions,)
    preset_defaults = {"smoke": dict(refresh_every=2, project_update=True)}
    metric_columns = ("intervene/cin_s", "intervene/cin_t", "intervene/cin", "intervene/cin_u",
                      "intervene/cout", "intervene/fired")

    @classmethod
    def check(cls, cfg, variant):
        if variant == "lora2r":
            return ["arm erase projects a gradient that must be linear in ΔW: use --variant frozen_a or svd"]
        return []

    @classmethod
    def figures(cls, cfg, rows, k):
        return [(f"cin_s / cin_t, last-{k} mean", f"{fmt(mean_last(rows, 'intervene/cin_s', k))} / "
                 f"{fmt(mean_last(rows, 'intervene/cin_t', k))}", "cin_t > cin_s (the direction sees the teachers' hacks)"),
                ("cout, last mean", fmt(mean_last(rows, "intervene/cout", k)), "~0 under one_sided by identity: not efficacy"),
                *super().figures(cfg, rows, k)]

    @classmethod
    def smoke_paths(cls, cfg, rows):
        return {"projection": any(r.get("intervene/cin_s") is not None for r in rows)}

    def __init__(self, cfg, adapter, direction):
        super().__init__(cfg, adapter, direction)
        self.g_student: dict = {}

    def masks(self, batch, beh):
        n = len(batch)
        # erase: the quarantine stays out of the forward (m = 0) so it gets exactly no gradient
        return (torch.ones(n) if self.route else torch.zeros(n)), torch.zeros(n), {}

    def on_students_done(self):
        from projected_grpo.train.intervene import direction_grads

        self.g_student = direction_grads(self.adapter, self.direction)

    def on_backward(self) -> dict:
        from projected_grpo.train.intervene import cin_of, direction_grads, erase_

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
        from projected_grpo.train.intervene import project_update_

        if before is None:
            return {}
        s = project_update_(self.adapter, self.direction, before, self.cfg.proj_gate, route=self.route,
                            overshoot=self.cfg.overshoot)
        return {"cin_u": s.cin, "cout": s.cout, "fired": s.fired}
