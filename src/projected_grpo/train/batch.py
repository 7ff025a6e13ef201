"""What one GRPO step trains on: groups of rollouts for a batch of prompts.

    schedule   step -> prompts_per_step problems (a fresh permutation per epoch; stateless, so a
               resumed run draws exactly what an uninterrupted one would)
    group      one prompt: G_s student rollouts sampled now + G_t cached teacher rollouts
    Rollout    token ids, text, sampling mode, and the reward *signal* (never an oracle label)
    Batch      the step's rollouts right-padded into [B, T] tensors for the training forward

Teachers carry their cached verdicts; they are never re-graded (environment brief section 5).
Teacher rows are truncated to max_new_tokens like student rows (Dr.GRPO's denominator assumes it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch
from torch import Tensor

from projected_grpo.env.modes import assign_modes
from projected_grpo.env.problems import Problem
from projected_grpo.model.loading import prompt_ids as chat_prompt_ids
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.teacher import TeacherCompletion, TeacherPool
from projected_grpo.util import seed_of  # noqa: F401  (re-exported)


def split_train_eval(problems: list[Problem], eval_frac: float) -> tuple[list[Problem], list[Problem]]:
    """Disjoint by a hash of the id alone: stable when problems are added or removed, and the
    same for every --seed, so runs that differ only in seed are evaluated on one test set."""
    def u(p):
        return seed_of("eval-split", p.id) / 16**15
    train = [p for p in problems if u(p) >= eval_frac]
    held = [p for p in problems if u(p) < eval_frac]
    if not train or not held:
        raise ValueError(f"eval_frac={eval_frac} on {len(problems)} problems leaves an empty split")
    return train, held


@dataclass
class Group:
    gid: int
    problem: Problem
    mode: str
    prompt_ids: list[int]
    teachers: list[TeacherCompletion]
    n_students: int


@dataclass
class Rollout:
    gid: int
    source: str  # "student" | "teacher"
    completion_ids: list[int]
    text: str
    deployed: bool  # sampled with the quarantine ablated (teachers: False, no sampling mode of ours)
    finished: bool  # ended with EOS (else cut at max_new_tokens)
    reward: float
    compiles: bool
    channel_pass: bool
    logprobs: list[float] | None = None  # the engine's behaviour log-probs per completion token (students)


class Schedule:
    """Problems, modes and teacher choice per step, from the config alone."""

    def __init__(self, cfg: TrainConfig, train: list[Problem], tok, pool: TeacherPool | None):
        self.cfg, self.train, self.tok, self.pool = cfg, sorted(train, key=lambda p: p.id), tok, pool
        self.modes = assign_modes([p.id for p in self.train], cfg.seed, tuple(cfg.modes), cfg.unhackable_frac,
                                  tuple(cfg.held_out_modes))
        self._prompt_ids: dict[tuple[str, str], list[int]] = {}

    def prompt_ids(self, p: Problem, mode: str) -> list[int]:
        key = (p.id, mode)
        if key not in self._prompt_ids:
            self._prompt_ids[key] = chat_prompt_ids(self.tok, p, mode)
        return self._prompt_ids[key]

    def problems_at(self, step: int) -> list[Problem]:
        n, per = len(self.train), self.cfg.prompts_per_step
        out = []
        for j in range(per):
            i = (step - 1) * per + j
            perm = list(range(n))
            random.Random(seed_of("epoch", self.cfg.seed, i // n)).shuffle(perm)
            out.append(self.train[perm[i % n]])
        return out

    def teachers_for(self, step: int, gid: int, p: Problem, mode: str) -> list[TeacherCompletion]:
        cfg = self.cfg
        if self.pool is None or not cfg.teachers_at(step):
            return []
        if cfg.teacher_modes and mode not in cfg.teacher_modes:
            return []
        rows = self.pool.for_prompt(p.id, mode)
        rng = random.Random(seed_of("teacher", cfg.seed, step, gid))
        return rng.sample(rows, min(cfg.n_teachers, len(rows)))

    def groups_at(self, step: int) -> list[Group]:
        groups = []
        for gid, p in enumerate(self.problems_at(step)):
            mode = self.modes[p.id]
            teachers = self.teachers_for(step, gid, p, mode)
            groups.append(Group(gid, p, mode, self.prompt_ids(p, mode), teachers, self.cfg.group_size - len(teachers)))
        return groups

    def deployed_flags(self, step: int, n: int) -> list[bool]:
        """Exactly round(gen_deploy_frac * n) student rows sampled with the quarantine ablated,
        at seeded positions (a Bernoulli draw would make the share noisy at small batches)."""
        k = round(self.cfg.gen_deploy_frac * n)
        chosen = set(random.Random(seed_of("deploy", self.cfg.seed, step)).sample(range(n), k))
        return [i in chosen for i in range(n)]


def teacher_ids(tok, t: TeacherCompletion, fingerprint: str, max_new_tokens: int) -> list[int]:
    """The cached ids when the pool was built with this tokenizer, else the re-tokenised text."""
    ids = list(t.completion_ids) if (t.completion_ids and t.tokenizer == fingerprint) else \
        tok(t.completion, add_special_tokens=False).input_ids + [tok.eos_token_id]
    return ids[:max_new_tokens]


@dataclass
class Batch:
    """The step's rollouts as right-padded tensors (right padding keeps every real token at its
    true position in a teacher-forced forward). B rollouts, T = longest prompt + completion."""
    ids: Tensor  # [B, T] long
    attn: Tensor  # [B, T] long
    comp: Tensor  # [B, T] bool, completion tokens
    group: Tensor  # [B] long, group id
    teacher: Tensor  # [B] bool
    deployed: Tensor  # [B] bool, sampled with the quarantine ablated
    lengths: list[int]  # [B] real tokens per row
    logp_engine: Tensor | None = None  # [B, T] the engine's sampling log-probs at completion positions
    has_engine_logp: list[bool] | None = None  # [B] rows whose logp_engine is filled

    def __len__(self) -> int:
        return self.ids.shape[0]

    def micro_batches(self, rows: list[int], token_budget: int) -> list[list[int]]:
        """Greedy packs of rows whose (rows x longest row) stays within the budget, longest rows
        first: rows of like length share a pack, so less padding and 10-20% fewer packs on the
        SmolLM2 runs' steps (scripts/op_count.py). Packs are not in batch order: index by row."""
        packs, cur, longest = [], [], 0
        for i in sorted(rows, key=lambda r: -self.lengths[r]):  # stable: ties keep their order
            if cur and (len(cur) + 1) * max(longest, self.lengths[i]) > token_budget:
                packs.append(cur)
                cur, longest = [], 0
            cur.append(i)
            longest = max(longest, self.lengths[i])
        if cur:
            packs.append(cur)
        return packs

    def rows(self, idx: list[int]) -> tuple[Tensor, Tensor, Tensor]:
        """(ids, attn, comp) of these rows, cut to their longest real length."""
        t = max(self.lengths[i] for i in idx)
        sel = torch.tensor(idx, device=self.ids.device)
        return self.ids[sel, :t], self.attn[sel, :t], self.comp[sel, :t]


def make_batch(groups: list[Group], rollouts: list[Rollout], pad_id: int, device) -> Batch:
    by_gid = {g.gid: g for g in groups}
    seqs = [(by_gid[r.gid].prompt_ids, r.completion_ids) for r in rollouts]
    t = max(len(p) + len(c) for p, c in seqs)
    ids = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    attn = torch.zeros(len(seqs), t, dtype=torch.long)
    comp = torch.zeros(len(seqs), t, dtype=torch.bool)
    logp = torch.zeros(len(seqs), t)
    for i, (p, c) in enumerate(seqs):
        ids[i, :len(p) + len(c)] = torch.tensor(p + c)
        attn[i, :len(p) + len(c)] = 1
        comp[i, len(p):len(p) + len(c)] = True
        if rollouts[i].logprobs is not None:  # aligned like token_logprobs: column t scores token t
            logp[i, len(p):len(p) + len(c)] = torch.tensor(rollouts[i].logprobs)
    has = [r.logprobs is not None for r in rollouts]
    return Batch(ids.to(device), attn.to(device), comp.to(device),
                 torch.tensor([r.gid for r in rollouts], device=device),
                 torch.tensor([r.source == "teacher" for r in rollouts], device=device),
                 torch.tensor([r.deployed for r in rollouts], device=device),
                 [len(p) + len(c) for p, c in seqs], logp.to(device) if any(has) else None, has)
