"""Per-step metrics: reward statistics (what training saw) and oracle statistics (audit only).

This module is on the logging side of the oracle firewall: it reads labels to *report* them,
and nothing it returns goes back into training.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from projected_grpo.directions.extract import auroc
from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.train.batch import Group, Rollout


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def reward_metrics(rollouts: list[Rollout], rewards: Tensor, groups: list[Group]) -> dict:
    students = [i for i, r in enumerate(rollouts) if r.source == "student"]
    stds, spread = [], []
    gid = torch.tensor([r.gid for r in rollouts])
    for g in groups:
        r = rewards[gid == g.gid]
        r = r[~r.isnan()]
        stds.append(float(r.std(unbiased=False)) if len(r) > 1 else 0.0)
        spread.append(float(len(r) > 1 and bool((r != r[0]).any())))
    finite = rewards[~rewards.isnan()]
    return {"rollout/n": len(rollouts), "rollout/n_teacher": len(rollouts) - len(students),
            "rollout/reward": float(finite.mean()) if len(finite) else float("nan"),
            "rollout/reward_s": _mean(float(rollouts[i].reward) for i in students),
            "rollout/group_std": _mean(stds), "rollout/spread": _mean(spread),
            "rollout/finished_s": _mean(float(rollouts[i].finished) for i in students),
            "rollout/len_s": _mean(len(rollouts[i].completion_ids) for i in students)}


# What the slice sampled with the quarantine ablated (gen_deploy_frac) logs beside all students
SLICE_KEYS = ("rollout/compiles_s", "rollout/reward_s_ablated", "rollout/len_s_ablated", "rollout/compiles_s_ablated",
              "rollout/adv_s_ablated")


def slice_metrics(rows: list[dict]) -> dict:
    """Student rows that parse, and the slice sampled with the quarantine ablated beside them:
    its reward, length, parse rate and mean advantage. A slice whose advantage stays below 0 while
    its parse rate falls is the deployed policy being pushed off its own samples. `rows` are
    rollouts.jsonl rows (source, deployed, reward, n_tokens, compiles, advantage), so that `pgrpo
    curves` derives the same figures for runs that did not log them."""
    students = [r for r in rows if r["source"] == "student"]
    out = {"rollout/compiles_s": _mean(float(r["compiles"]) for r in students)}
    dep = [r for r in students if r["deployed"]]
    if dep:
        out.update({"rollout/reward_s_ablated": _mean(float(r["reward"]) for r in dep),
                    "rollout/len_s_ablated": _mean(r["n_tokens"] for r in dep),
                    "rollout/compiles_s_ablated": _mean(float(r["compiles"]) for r in dep),
                    "rollout/adv_s_ablated": _mean(r["advantage"] for r in dep)})
    return out


def oracle_metrics(rollouts: list[Rollout], audits: list[dict], groups: list[Group], adv: Tensor,
                   scores: Tensor | None) -> dict:
    """Solve and hack rates per source and per mode; the gate's AUROC on A > 0 rollouts."""
    mode_of = {g.gid: g.mode for g in groups}
    out: dict = {}
    for src, tag in (("student", "s"), ("teacher", "t")):
        idx = [i for i, r in enumerate(rollouts) if r.source == src]
        out[f"oracle/solve_{tag}"] = _mean(float(audits[i]["gt_correct"]) for i in idx)
        out[f"oracle/hack_{tag}"] = _mean(float(audits[i]["label"] == "hack") for i in idx)
        out[f"oracle/attempt_{tag}"] = _mean(float(audits[i]["label"] in ("attempted", "correct_attempted")) for i in idx)
    students = [i for i, r in enumerate(rollouts) if r.source == "student"]
    for m in LOOPHOLE_MODES:
        idx = [i for i in students if mode_of[rollouts[i].gid] == m]
        if idx:
            out[f"oracle/hack_s/{m}"] = _mean(float(audits[i]["label"] == "hack") for i in idx)
    hackable = [i for i in students if mode_of[rollouts[i].gid] != "gt_only"]
    out["oracle/hack_s_hackable"] = _mean(float(audits[i]["label"] == "hack") for i in hackable)
    gt_only = [i for i in students if mode_of[rollouts[i].gid] == "gt_only"]
    out["oracle/solve_s_gt_only"] = _mean(float(audits[i]["gt_correct"]) for i in gt_only)
    dep = [i for i in students if rollouts[i].deployed]
    out["oracle/hack_s_ablated"] = _mean(float(audits[i]["label"] == "hack") for i in dep)
    labels = {}
    for a in (audits[i] for i in students):
        labels[a["label"]] = labels.get(a["label"], 0) + 1
    out["oracle/labels_s"] = labels
    # "hacked step" (ariahw): hack rollouts outnumber correct ones
    out["oracle/hacked_step"] = float(sum(a["label"] == "hack" for a in audits)
                                      > sum(a["label"] in ("correct", "correct_attempted") for a in audits))
    if scores is not None:
        pos = [i for i in range(len(rollouts)) if float(adv[i]) > 0]
        hack = torch.tensor([audits[i]["label"] == "hack" for i in pos], dtype=torch.bool)
        s = scores[pos] if pos else scores[:0]
        if len(pos) and 0 < int(hack.sum()) < len(pos):
            out["gate/auroc_pos"] = auroc(s[hack], s[~hack])
        all_hack = torch.tensor([a["label"] == "hack" for a in audits], dtype=torch.bool)
        if 0 < int(all_hack.sum()) < len(audits):
            out["gate/auroc_all"] = auroc(scores[all_hack], scores[~all_hack])
    return out


def rollout_rows(step: int, rollouts: list[Rollout], groups: list[Group], audits: list[dict], rewards: Tensor,
                 adv: Tensor, zones: list[str], scores: Tensor | None = None) -> list[dict]:
    by = {g.gid: g for g in groups}
    rows = []
    for i, r in enumerate(rollouts):
        g = by[r.gid]
        rows.append({"step": step, "group": r.gid, "problem_id": g.problem.id, "mode": g.mode, "source": r.source,
                     "deployed": r.deployed, "completion": r.text, "n_tokens": len(r.completion_ids),
                     "reward": r.reward, "shaped_reward": None if math.isnan(float(rewards[i])) else float(rewards[i]),
                     "advantage": float(adv[i]), "compiles": r.compiles, "channel_pass": r.channel_pass,
                     "zone": zones[i], "gate_score": None if scores is None else float(scores[i]),
                     "audit": audits[i]})
    return rows
