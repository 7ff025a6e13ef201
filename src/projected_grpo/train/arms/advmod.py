"""advmod (Wu & Tang 2026): r' from a one-sided z-scored concept score s = h · d_concept, with h
the residual stream averaged over layers at 60-75% depth, applied before the group baseline.
Default as in the paper (method brief section 9): h at the prompt's last token, d_concept =
mean h⁺ - h⁻ over generic shortcut/diligence sentences. At the prompt position every rollout of
a group scores the same, so the shaping reweights prompts, not rollouts within a group;
`--advmod-position completion --advmod-concept pairs` scores each rollout's last token against
the hack pairs' concept instead (this project's earlier variant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from projected_grpo.train.arms.base import Arm, torch


@dataclass(frozen=True)
class AdvModOptions:
    about: ClassVar[str] = "configures advmod's reward shaping"
    lacks: ClassVar[str] = "is not advmod"

    advmod_kind: Literal["multiplicative", "additive"] = "multiplicative"
    """advmod: r' = r (1 - α σ(z) 1[z>0]) or r' = r - α max(z, 0) (Wu & Tang 2026)"""
    advmod_alpha: float = 2.0
    """advmod: strength α of the reward modification"""
    advmod_norm: Literal["batch", "group"] = "batch"
    """advmod: z-score the concept score over the batch or within each group"""
    advmod_position: Literal["prompt", "completion"] = "prompt"
    """advmod: score the residual state at the prompt's last token (Wu & Tang 2026) or the completion's"""
    advmod_concept: Literal["generic", "pairs"] = "generic"
    """advmod: concept from generic shortcut/diligence sentence pairs (the paper's) or from the hack pairs"""


class AdvMod(Arm):
    name = "advmod"
    summary = "reward shaping from a residual-stream concept score (Wu & Tang 2026)"
    wants_features = True
    reads_pairs = True  # --advmod-concept pairs
    options = (AdvModOptions,)
    metric_columns = ("shaping/penalty", "shaping/flagged")

    @classmethod
    def check(cls, cfg, variant):
        if cfg.advmod_position == "prompt" and cfg.advmod_norm == "group":
            return ["--advmod-norm group z-scores within a group, but at --advmod-position prompt every rollout "
                    "of a group has the same score (z = 0, no shaping): use --advmod-norm batch or --advmod-position completion"]
        return []

    @classmethod
    def smoke_paths(cls, cfg, rows):
        return {"shaping": any(r.get("shaping/flagged") is not None for r in rows)}

    def __init__(self, cfg, adapter, concept):
        super().__init__(cfg, adapter)
        self.concept = concept.float()

    @classmethod
    def build(cls, cfg, model, tok, adapter):
        from projected_grpo.train.arms.advmod_concept import advmod_concept

        concept, diag = advmod_concept(cfg, model, tok, adapter)
        return cls(cfg, adapter, concept), diag

    def describe(self, diag):
        d = diag
        acc = d.get("heldout_paired_accuracy", d.get("insample_paired_accuracy"))
        return [f"advmod concept: {d['concept']} ({d['pairs']} pairs), score at the {self.cfg.advmod_position}'s "
                f"last token; paired accuracy {acc:.3f} ({'held-out sentences' if d['concept'] == 'generic' else 'in-sample'})"]

    def behaviour_needs(self, model):
        from projected_grpo.train.arms.advmod_concept import advmod_layers

        return dict(want_pooled=False, feature_layers=advmod_layers(model),
                    feature_position=self.cfg.advmod_position)

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
