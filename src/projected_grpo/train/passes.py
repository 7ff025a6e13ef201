"""The two model passes of a GRPO step.

behaviour_pass (no grad), per rollout in its own sampling mode (method brief section 7.1):
    logπ_old   quarantine ablated for rows sampled deployed, full adapter otherwise, so that
               ρ = exp(logπ - logπ_old) is a true importance ratio whatever zone the gate picks
    pooled     the deployed bottleneck pooled over completion tokens, quarantine ablated (routeA's
               score reads it; the same ablated forward gives the deployed rows' logπ_old)
    logπ_ref   the adapter disabled (the KL reference), when β > 0
    features   residual states at the prompt's (or the completion's) last token, mean over chosen
               layers (advmod)

forward_backward (grad), under the per-rollout masks (m, d), students first, then teachers, so
the caller can snapshot the student-only gradient in between (cin_s vs cin_t: two gradients,
one backward per row). Teacher rows take logπ_old = logπ.detach(): ρ ≡ 1, advantage-weighted
imitation of cached text (pitfall 7), not an importance ratio of a policy we sampled.
"""

from __future__ import annotations

import math
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import torch
from torch import Tensor

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.train.batch import Batch
from projected_grpo.train.logprobs import token_logprobs
from projected_grpo.train.loss import AdvantageKind, KLEstimator, kl_k3, policy_loss


@dataclass
class Behaviour:
    logp_old: Tensor  # [B, T]
    logp_ref: Tensor | None  # [B, T]
    pooled: dict[str, Tensor] | None  # name -> [B, r]
    features: Tensor | None  # [B, H]


@contextmanager
def layer_taps(model, layers: list[int], last: Tensor, out: list[Tensor]):
    """Collect, per call, mean over `layers` of the residual stream at position `last` [b]."""
    grabbed: list[Tensor] = []
    blocks = model.model.layers

    def hook(module, args, output):
        h = output[0] if isinstance(output, tuple) else output
        grabbed.append(h[torch.arange(h.shape[0], device=h.device), last].float())

    handles = [blocks[i].register_forward_hook(hook) for i in layers]
    try:
        yield
        out.append(torch.stack(grabbed).mean(0))
    finally:
        for h in handles:
            h.remove()


def last_completion_index(comp: Tensor) -> Tensor:
    t = torch.arange(comp.shape[1], device=comp.device)
    return torch.where(comp, t, -1).max(1).values.clamp_min(0)


def last_prompt_index(comp: Tensor) -> Tensor:
    """The token before each row's first completion token (rows are right-padded)."""
    t = torch.arange(comp.shape[1], device=comp.device)
    return (torch.where(comp, t, comp.shape[1]).min(1).values - 1).clamp_min(0)


FEATURE_INDEX = {"prompt": last_prompt_index, "completion": last_completion_index}


@torch.no_grad()
def behaviour_pass(model, adapter: Adapter, batch: Batch, *, temperature: float, chunk: int, token_budget: int,
                   want_pooled: bool, want_ref: bool, feature_layers: list[int] | None = None,
                   feature_position: str = "prompt", engine_logp: bool = False) -> Behaviour:
    """engine_logp: student rows take logπ_old from the rollout engine (batch.logp_engine)
    instead of a recomputed pass. Teacher rows never need one (their ρ ≡ 1)."""
    n, t = batch.ids.shape
    logp_old = torch.zeros(n, t, device=batch.ids.device)
    logp_ref = torch.zeros_like(logp_old) if want_ref else None
    pooled: dict[str, Tensor] = {}  # name -> [B, r], and feats [B, H]: filled by row index, since
    feats: Tensor | None = None      # micro-batches pack rows by length, not in batch order
    deployed, teacher = batch.deployed.tolist(), batch.teacher.tolist()
    given = [False] * n
    if engine_logp:
        if batch.logp_engine is None or not all(h or te for h, te in zip(batch.has_engine_logp, teacher)):
            raise ValueError("behaviour_logp='engine' but the rollout engine returned no log-probs "
                             "(transformers generate does not: use the fast engine)")
        given = list(batch.has_engine_logp)
        logp_old.copy_(batch.logp_engine)
    need = [not teacher[i] and not given[i] for i in range(n)]
    ablated_rows = list(range(n)) if want_pooled else [i for i in range(n) if deployed[i] and need[i]]
    full_rows = [i for i in range(n) if not deployed[i] and need[i]]
    for mb in batch.micro_batches(ablated_rows, token_budget):
        ids, attn, comp = batch.rows(mb)
        with adapter.ablated(), (adapter.capture(comp) if want_pooled else nullcontext({})) as cap:
            lp = token_logprobs(model, ids, attn, comp, chunk, temperature)
        for name, h in cap.items():
            if name not in pooled:
                pooled[name] = torch.zeros(n, h.shape[1])
            pooled[name][mb] = h.cpu()
        for j, i in enumerate(mb):
            if deployed[i] and need[i]:
                logp_old[i, :lp.shape[1]] = lp[j]
    for mb in batch.micro_batches(full_rows, token_budget):
        ids, attn, comp = batch.rows(mb)
        logp_old[mb, :ids.shape[1]] = token_logprobs(model, ids, attn, comp, chunk, temperature)
    for mb in batch.micro_batches(list(range(n)), token_budget):
        ids, attn, comp = batch.rows(mb)
        if want_ref:
            with adapter.disabled():
                logp_ref[mb, :ids.shape[1]] = token_logprobs(model, ids, attn, comp, chunk, temperature)
        if feature_layers:
            got: list[Tensor] = []
            with layer_taps(model, feature_layers, FEATURE_INDEX[feature_position](comp), got):
                model.model(input_ids=ids, attention_mask=attn, use_cache=False)
            if feats is None:
                feats = torch.zeros(n, got[0].shape[1])
            feats[mb] = got[0].cpu()
    return Behaviour(logp_old, logp_ref, pooled if want_pooled else None, feats)


@dataclass
class LossConfig:
    kind: AdvantageKind
    clip: float
    dual_clip: float | None
    kl_coef: float
    max_new_tokens: int
    temperature: float
    chunk: int
    token_budget: int
    kl_estimator: KLEstimator = "k3"


@dataclass
class FBStats:
    loss: float = 0.0
    pg_loss: float = 0.0
    kl: float = 0.0  # token mean of k3 over all rows
    # the largest q = logπ_ref - logπ over student / teacher tokens (NaN without KL): k3's gradient
    # weight on a token is 1 - e^q, so a large q is a token the policy made rare pulling hard
    kl_qmax_student: float = float("nan")
    kl_qmax_teacher: float = float("nan")
    lp_student: float = float("nan")  # mean token log-prob
    lp_teacher: float = float("nan")
    zone: dict[str, dict[str, float]] = field(default_factory=dict)  # all/keep/absorb/route/sampled_ablated -> ratio, clip_frac
    rows_trained: int = 0


def _zone_names(m: Tensor, d: Tensor) -> list[str]:
    return ["route" if di > 0 else "absorb" if mi > 0 else "keep" for mi, di in zip(m.tolist(), d.tolist())]


def forward_backward(model, adapter: Adapter, batch: Batch, adv: Tensor, beh: Behaviour, m: Tensor, d: Tensor,
                     lc: LossConfig, on_students_done=None) -> FBStats:
    """Accumulate the step's gradient; the loss is normalised over the whole batch (Dr.GRPO:
    Σ tokens / (B · max_new_tokens); /σ: mean over rollouts of their token mean)."""
    n = len(batch)
    teacher = batch.teacher.tolist()
    real_tokens = float(batch.comp.sum())
    # a row with A = 0 carries no policy gradient; without KL it is skipped entirely
    trainable = [i for i in range(n) if lc.kl_coef > 0 or float(adv[i]) != 0.0]
    students = [i for i in trainable if not teacher[i]]
    teachers = [i for i in trainable if teacher[i]]
    zones = _zone_names(m, d)
    st = FBStats(rows_trained=len(trainable))
    # Σρ, Σclipped, tokens over student tokens, per gate zone and per sampling mode (teachers: ρ ≡ 1)
    acc = {z: [0.0, 0.0, 0.0] for z in ("all", "keep", "absorb", "route", "sampled_ablated")}
    deployed = batch.deployed.tolist()
    lp_sum, lp_n = {False: 0.0, True: 0.0}, {False: 0.0, True: 0.0}
    qmax = {False: -math.inf, True: -math.inf}
    for part, rows in (("students", students), ("teachers", teachers)):
        for mb in batch.micro_batches(rows, lc.token_budget):
            ids, attn, comp = batch.rows(mb)
            sel, host = torch.tensor(mb, device=ids.device), torch.tensor(mb)  # m, d, adv live on the host
            with adapter.masks(m[host].to(ids.device), d[host].to(ids.device)):
                logp = token_logprobs(model, ids, attn, comp, lc.chunk, lc.temperature)
                is_t = batch.teacher[sel][:, None]
                old = torch.where(is_t, logp.detach(), beh.logp_old[sel, :ids.shape[1]])
                pg, _ = policy_loss(logp, old, adv[host].to(logp.device), comp, clip=lc.clip,
                                    dual_clip=lc.dual_clip, kind=lc.kind, max_new_tokens=lc.max_new_tokens)
                pg = pg * (len(mb) / n)
                loss = pg
                ref = beh.logp_ref[sel, :ids.shape[1]] if lc.kl_coef > 0 else None  # gathered once: loss and qmax
                if ref is not None:
                    kl = kl_k3(logp, ref, comp,
                               old if lc.kl_estimator == "k3_unbiased" else None) * (float(comp.sum()) / real_tokens)
                    loss = loss + lc.kl_coef * kl
                    st.kl += float(kl.detach())
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"non-finite loss {float(loss)} in a {part} micro-batch of {len(mb)} "
                                             f"rows (rows {mb[:4]}...): the policy has collapsed or lr is too high")
                loss.backward()
            st.loss += float(loss.detach())
            st.pg_loss += float(pg.detach())
            with torch.no_grad():  # per-row sums, moved to the host once per micro-batch
                ratio = torch.exp(logp - old)
                clipped = ((ratio < 1 - lc.clip) | (ratio > 1 + lc.clip)) & comp
                c = comp.to(ratio.dtype)
                q = ref - logp if ref is not None else torch.full_like(logp, -math.inf)
                sums = torch.stack([(ratio * c).sum(1), clipped.sum(1).to(c.dtype), c.sum(1), (logp * c).sum(1),
                                    q.masked_fill(~comp, -math.inf).amax(1)], 1)
                for i, (r_sum, clip_sum, n_tok, lp, q_max) in zip(mb, sums.tolist()):
                    qmax[teacher[i]] = max(qmax[teacher[i]], q_max)
                    if not teacher[i]:
                        for z in ("all", zones[i]) + (("sampled_ablated",) if deployed[i] else ()):
                            acc[z][0] += r_sum
                            acc[z][1] += clip_sum
                            acc[z][2] += n_tok
                    lp_sum[teacher[i]] += lp
                    lp_n[teacher[i]] += n_tok
        if part == "students" and on_students_done is not None:
            on_students_done()
    st.zone = {z: {"ratio": v[0] / v[2], "clip_frac": v[1] / v[2], "tokens": v[2]} for z, v in acc.items() if v[2]}
    if lp_n[False]:
        st.lp_student = lp_sum[False] / lp_n[False]
    if lp_n[True]:
        st.lp_teacher = lp_sum[True] / lp_n[True]
    st.kl_qmax_student, st.kl_qmax_teacher = (v if math.isfinite(v) else float("nan") for v in (qmax[False], qmax[True]))
    return st
