"""What the trainer records about a step, kept out of `Trainer.train_step` so the step reads as
the algorithm: phase wall-clock marks and peak GPU memory (`StepClock`), and the metrics.jsonl
row assembled from the step's results (`step_row`)."""

from __future__ import annotations

import time

import torch

from projected_grpo.train.metrics import oracle_metrics, reward_metrics


class StepClock:
    """Marks: start, gen, behaviour, graded, opt, end. CUDA work is synchronised before the
    marks that need it so a phase's time is its own."""

    def __init__(self, device: str):
        self.cuda = device.startswith("cuda")
        self.t = {"start": time.perf_counter()}
        self.peaks: dict[str, float] = {}  # phase -> peak GPU memory (GiB)

    def mark(self, name: str, sync: bool = False):
        if sync and self.cuda:
            torch.cuda.synchronize()
        self.t[name] = time.perf_counter()

    def reset_peak(self):
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()

    def peak(self, phase: str):
        self.peaks[phase] = torch.cuda.max_memory_allocated() / 2**30 if self.cuda else float("nan")

    def metrics(self, grade_seconds: float) -> dict:
        t = self.t
        out = {"time/gen": t["gen"] - t["start"], "time/grade": grade_seconds, "time/grade_wait": t["graded"] - t["behaviour"],
               "time/behaviour": t["behaviour"] - t["gen"], "time/fb": (t["behaviour"] - t["gen"]) + (t["end"] - t["graded"]),
               "time/opt": t["end"] - t["opt"], "time/step": t["end"] - t["start"]}
        if self.cuda:
            out["mem/peak_gib"] = max(self.peaks.values())
            out.update({f"mem/{k}_gib": v for k, v in self.peaks.items()})
        return out


def engine_metrics(engine) -> dict:
    st = getattr(engine, "stats", None)  # the fast engine's last call
    if st is None:
        return {}
    return {"gen/decode_s": st.decode_s, "gen/prefill_s": st.prefill_s, "gen/capture_s": st.capture_s,
            "gen/graphs": st.graphs, "gen/decode_steps": st.decode_steps, "gen/context_tokens": st.context_tokens,
            "gen/tok_s": st.tokens / st.decode_s if st.decode_s else float("nan")}


def step_row(step: int, reads_oracle: bool, adapter, rollouts, rewards, groups, audits, adv, scores, fb, opt: dict,
             norms: dict, intervene: dict, gate: dict, shaping: dict, direction: dict) -> dict:
    """The metrics.jsonl row of a step (the timing and engine columns are added by the caller)."""
    return {"step": step, "run/reads_oracle": reads_oracle, **reward_metrics(rollouts, rewards, groups),
            **oracle_metrics(rollouts, audits, groups, adv, scores),
            "policy/lp_s": fb.lp_student, "policy/lp_t": fb.lp_teacher,
            **{f"policy/{k}{'' if z == 'all' else '_' + z}": v[k] for z, v in fb.zone.items()
               for k in ("ratio", "clip_frac")},
            "loss/total": fb.loss, "loss/pg": fb.pg_loss, "loss/kl": fb.kl, "loss/rows_trained": fb.rows_trained,
            "loss/kl_qmax_s": fb.kl_qmax_student, "loss/kl_qmax_t": fb.kl_qmax_teacher,
            "optim/grad_norm": opt["gn"], "optim/lr": opt["lr"], "optim/qmass": norms["qmass"],
            "optim/g_dep": norms["dep"], "optim/g_quar": norms["quar"],
            **{f"adapter/{b}_norm": v for b, v in adapter.block_norms().items()},
            **{f"intervene/{k}": v for k, v in intervene.items()}, **{f"gate/{k}": v for k, v in gate.items()},
            **{f"shaping/{k}": v for k, v in shaping.items()}, **direction}
