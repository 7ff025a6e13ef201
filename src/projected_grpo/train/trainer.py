"""GRPO on the reward-hackable coding environment, with one intervention arm.

    pgrpo train --preset smoke --arm erase
    pgrpo train --resume runs/smoke-erase-real-s0

One step (docs: README "The trainer"):
    groups    = schedule(step)                 prompts + cached teacher rollouts
    rollouts  = generate(groups)               students, a gen_deploy_frac share with the quarantine ablated
    audits    = grade(rollouts)                rewards into the rollouts; oracle labels out to the logs only
    behaviour = behaviour_pass(batch)          logπ_old in each row's sampling mode, logπ_ref, gate activations
                                               (runs while the sandbox grades: neither needs the other)
    rewards   = arm.shape_rewards(...)         advmod; gt_* (oracle upper bounds) are the only readers of audits
    A         = group_advantages(rewards)      Dr.GRPO (or /σ); zero-variance groups give 0; the baseline
                                               per sampling mode with --advantage-baseline sampling_mode
    m, d      = arm.masks(...)                 keep / absorb / route per rollout
    forward_backward(batch, A, m, d)           PPO clip + dual clip + β·k3 KL, token-budget micro-batches
    arm.on_backward()                          erase / route project the gradient
    optimizer.step(); arm.on_update()          clip, AdamW, decay toward init, schedule; or project the update
    log(step)                                  table row, metrics.jsonl, rollouts.jsonl, TensorBoard

Oracle firewall: `grade` returns the audits separately from the rewards it writes into the
rollouts; only the logging calls and (for gt_* arms) shape_rewards receive them, so corrupting
every oracle label leaves a non-oracle run bit-identical (tests/test_trainer.py).
"""

from __future__ import annotations

import json
import random
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch
from tqdm import tqdm

from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.errors import UserError
from projected_grpo.model.fused_norm import fuse_or_fail
from projected_grpo.model.loading import tokenizer_fingerprint
from projected_grpo.train import checkpoint, setup
from projected_grpo.train.batch import Group, Rollout, Schedule, make_batch, teacher_ids
from projected_grpo.util import seed_of
from projected_grpo.train.config import TrainConfig
from projected_grpo.train.loss import baseline_groups, group_advantages
from projected_grpo.train.metrics import rollout_rows, slice_metrics
from projected_grpo.train.optim import AdapterOptimizer
from projected_grpo.train.passes import LossConfig, _zone_names, behaviour_pass, forward_backward
from projected_grpo.train.report import bluf
from projected_grpo.train.resume import plan as resume_plan
from projected_grpo.train.rollout import make_engine
from projected_grpo.train.runlog import RunLog
from projected_grpo.train.steplog import StepClock, engine_metrics, step_row


class Trainer:
    def __init__(self, cfg: TrainConfig, resume: bool = False, quiet: bool = False, show_legend: bool = True):
        self.cfg, self.run_dir = cfg, cfg.run_dir()
        if not resume and not cfg.overwrite and (self.run_dir / "metrics.jsonl").exists():
            raise UserError(f"{self.run_dir} already holds a run: continue it with --resume {self.run_dir}, "
                            f"start it again with --overwrite, or choose another --run-name / --out")
        random.seed(cfg.seed)
        torch.manual_seed(cfg.seed)
        self.train_problems, self.eval_problems = setup.problems(cfg)  # first: bad input fails before loading
        if not resume and cfg.overwrite and self.run_dir.exists():  # only once the input is known to be good
            shutil.rmtree(self.run_dir)
            print(f"--overwrite: deleted {self.run_dir}, starting again from step 1", flush=True)
        self.model, self.tok, self.placement = setup.load(cfg)
        self.device = self.placement.device
        self.fingerprint = tokenizer_fingerprint(self.tok)
        self.adapter = setup.attach_adapter(cfg, self.model, self.tok)
        if cfg.fused_norm:
            fuse_or_fail(self.model)
        if cfg.gradient_checkpointing:
            self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        self.grader = Grader(workers=cfg.workers, limits=cfg.limits, weights=cfg.weights)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grade")
        self.schedule = Schedule(cfg, self.train_problems, self.tok, pool=None)
        self.schedule.pool = self.pool = setup.teacher_pool(cfg, self.train_problems, self.schedule.modes, self.grader)
        self.arm, self.direction_diag = cfg.arm_class.build(cfg, self.model, self.tok, self.adapter)
        self.engine = make_engine(cfg.engine, self.model, self.tok, self.adapter, max_batch=cfg.gen_batch,
                                  bucket=cfg.engine_bucket, compile=cfg.engine_compile)
        self.optim = AdapterOptimizer(self.adapter, cfg.lr, cfg.betas, cfg.weight_decay, cfg.grad_clip,
                                      cfg.warmup_steps, cfg.steps)
        self.loss_cfg = LossConfig(cfg.advantage, cfg.clip, cfg.dual_clip or None, cfg.kl_coef,
                                   cfg.sampling.max_new_tokens, cfg.sampling.temperature or 1.0,
                                   cfg.logprob_chunk, cfg.token_budget, cfg.kl_estimator)
        self.start_step = 1
        resumed_at = None
        ckpt = checkpoint.latest(self.run_dir) if resume else None
        if resume and ckpt is None:  # killed before its first checkpoint: step 1 again, logs cleared
            resumed_at = 0
        elif resume:
            resumed_at, saved_direction, extra = checkpoint.load(ckpt, self.adapter, self.optim, self.arm)
            self.arm.restore(saved_direction, extra)
            self.start_step = resumed_at + 1
        self.log = RunLog(self.run_dir, cfg.tensorboard, cfg.log_rollouts, quiet=quiet, resumed_at=resumed_at,
                          wandb=cfg.wandb)
        if resume:
            self.log.resume_to(resumed_at)
        self._describe(resume, show_legend)

    @classmethod
    def resume(cls, run_dir: Path, stop_at: int = 0, steps: int = 0, **kw) -> "Trainer":
        """Continue a run (train/resume.py: no checkpoint yet, a checkpoint, or --steps to extend it)."""
        cfg, notes = resume_plan(Path(run_dir), stop_at, steps)
        for note in notes if not kw.get("quiet") else ():
            print(note, flush=True)
        return cls(cfg, resume=True, **kw)

    def _describe(self, resume: bool, show_legend: bool):
        cfg = self.cfg
        self.log.write_config(cfg.to_dict(), {"reads_oracle": cfg.reads_oracle, "placement": self.placement.reason,
                                              "direction": self.direction_diag, "resumed_from": self.start_step - 1})
        pool = f"{len(self.pool)} cached teacher rollouts" if self.pool else "no teacher pool"
        self.log.say(f"run {self.run_dir} | arm {cfg.arm}{' (ORACLE UPPER BOUND: reads oracle labels)' if cfg.reads_oracle else ''}"
                     f" | direction {cfg.direction if self.arm.direction_kind else '-'} | {self.placement.reason}")
        self.log.say(f"problems: {len(self.train_problems)} train, {len(self.eval_problems)} held out | {pool} | "
                     f"adapter {cfg.adapter_variant} r={cfg.rank} on {len(self.adapter.modules)} modules | "
                     f"sandbox {self.grader.sandbox.n_workers} workers, {self.grader.sandbox.isolation}")
        for line in self.arm.describe(self.direction_diag):
            self.log.say(line)
        if resume and self.start_step > 1:
            self.log.say(f"resuming after step {self.start_step - 1}")
        if show_legend:
            self.log.start()

    # -- the loop -----------------------------------------------------------------------
    def run(self) -> dict | None:
        cfg = self.cfg
        last = min(cfg.steps, cfg.stop_at) if cfg.stop_at else cfg.steps
        # progress and ETA on a terminal only (disable=None): logs and tests stay clean
        bar = tqdm(range(self.start_step, last + 1), initial=self.start_step - 1, total=last, desc="train",
                   unit="step", disable=None if not self.log.quiet else True, dynamic_ncols=True)
        try:
            for step in bar:
                self.train_step(step)
                if cfg.eval_every and step % cfg.eval_every == 0 and step < cfg.steps:
                    self.evaluate(step, final=False)
                if step % cfg.checkpoint_every == 0 or step == last:
                    checkpoint.save(self.run_dir, step, self.adapter, self.optim, self.arm, self.arm.direction,
                                    cfg.keep_checkpoints, extra=self.arm.checkpoint_extra())
            if last < cfg.steps:
                self.log.say(f"stopped after step {last} (--stop-at); continue with --resume {self.run_dir}")
                return None
            return self.finish()
        finally:
            bar.close()
            self.log.close()
            self.close()

    def train_step(self, step: int) -> dict:
        """One step: the pseudocode of the module docstring; the arm's hooks are its only branches."""
        cfg, arm, clock = self.cfg, self.arm, StepClock(self.device)
        overlap = arm.maybe_refresh(step, self.model, self.tok, self.log.say)
        groups = self.schedule.groups_at(step)
        clock.reset_peak()
        rollouts = self.generate(step, groups)
        clock.peak("gen"), clock.mark("gen")
        # grading (sandbox processes) overlaps the behaviour pass (the model): neither needs the other
        grading = self._pool.submit(self.grade, groups, rollouts)
        batch = make_batch(groups, rollouts, self.tok.pad_token_id, self.device)
        beh = behaviour_pass(self.model, self.adapter, batch, temperature=self.loss_cfg.temperature,
                             chunk=cfg.logprob_chunk, token_budget=cfg.token_budget, want_ref=cfg.kl_coef > 0,
                             engine_logp=cfg.behaviour_logp == "engine", **arm.behaviour_needs(self.model))
        clock.mark("behaviour", sync=True), clock.peak("behaviour")
        audits, grade_seconds = grading.result()  # rewards are now in the rollouts; labels go to logs (and gt_*)
        clock.mark("graded")
        rewards = torch.tensor([r.reward for r in rollouts], dtype=torch.float32)
        rewards, shaping = arm.shape_rewards(rewards, batch, beh, step, oracle=audits if arm.reads_oracle else None)
        by_mode = cfg.advantage_baseline == "sampling_mode"  # a baseline per behaviour policy
        baseline_of = baseline_groups(batch.group.cpu(), torch.tensor([r.deployed for r in rollouts]), by_mode)
        adv = group_advantages(rewards, baseline_of, cfg.advantage)
        m, d, gate = arm.masks(batch, beh)
        self.optim.zero_grad()
        clock.reset_peak()
        self.model.train(cfg.gradient_checkpointing)  # HF checkpoints only in train mode; no dropout in Qwen3
        fb = forward_backward(self.model, self.adapter, batch, adv, beh, m, d, self.loss_cfg,
                              on_students_done=arm.on_students_done)
        self.model.eval()
        intervene = arm.on_backward()
        norms = self.optim.grad_norms()
        before = arm.params_before_update()
        clock.mark("opt", sync=True)
        opt = self.optim.step()
        intervene.update(arm.on_update(before))
        clock.mark("end", sync=True), clock.peak("fb")
        scores = gate.pop("scores", None)
        rows = rollout_rows(step, rollouts, groups, audits, rewards, adv, _zone_names(m, d), scores)
        metrics = {**step_row(step, cfg.reads_oracle, self.adapter, rollouts, rewards, groups, audits, adv, scores, fb,
                              opt, norms, intervene, gate, shaping, arm.direction_metrics(overlap)),
                   **slice_metrics(rows), **clock.metrics(grade_seconds), **engine_metrics(self.engine),
                   "batch/tokens": sum(batch.lengths)}
        arm.after_step()
        self.log.step(metrics, rows)
        return metrics

    # -- stages -------------------------------------------------------------------------
    def generate(self, step: int, groups: list[Group]) -> list[Rollout]:
        cfg = self.cfg
        student_gids = [g.gid for g in groups for _ in range(g.n_students)]
        deployed = self.schedule.deployed_flags(step, len(student_gids))
        prompt_ids = {g.gid: g.prompt_ids for g in groups}
        out: list[Rollout] = []
        r = self.engine.generate([prompt_ids[g] for g in student_gids], deployed, cfg.sampling,
                                 seed=seed_of("gen", cfg.seed, step, 0))
        if not cfg.engine_keep:
            self.engine.release()  # the KV cache and merged weights make room for the training passes
        lps = r.logprobs or [None] * len(student_gids)
        out += [Rollout(g, "student", ids, text, dflag, fin, float("nan"), False, False, lp)
                for g, ids, text, dflag, fin, lp in zip(student_gids, r.completion_ids, r.texts, r.deployed,
                                                        r.finished, lps)]
        for g in groups:
            for t in g.teachers:
                ids = teacher_ids(self.tok, t, self.fingerprint, cfg.sampling.max_new_tokens)
                out.append(Rollout(g.gid, "teacher", ids, t.completion, False, True, t.reward, t.compiles, t.channel_pass))
        return out

    def grade(self, groups: list[Group], rollouts: list[Rollout]) -> tuple[list[dict], float]:
        """Students graded now, teachers from their cached verdicts. Writes the reward signal
        into each rollout; returns the oracle's labels, which training must not read (and the
        grading wall time)."""
        t0 = time.perf_counter()
        by = {g.gid: g for g in groups}
        students = [r for r in rollouts if r.source == "student"]
        reqs = [GradeRequest(by[r.gid].problem, by[r.gid].mode, r.text) for r in students]
        verdicts = list(tqdm(self.grader.grade_iter(reqs), total=len(reqs), desc="grade", leave=False, disable=None))
        audits = []
        it = iter(verdicts)
        for r in rollouts:
            if r.source == "student":
                v = next(it)
                r.reward, r.compiles, r.channel_pass = v.signal.reward, v.signal.compiles, v.signal.channel_pass
                a = v.audit
                audits.append({"gt_correct": a.gt_correct, "label": a.label, "hack_mode": a.hack_mode})
            else:
                g = by[r.gid]
                cached = self.pool.for_prompt(g.problem.id, g.mode)
                idx = next(j for j, t in enumerate(cached) if t.completion == r.text)
                audits.append(self.pool.audit(g.problem.id, g.mode)[idx])
        return audits, time.perf_counter() - t0

    def close(self):
        self._pool.shutdown(wait=True)
        self.grader.close()

    # -- the end ------------------------------------------------------------------------
    def evaluate(self, step: int, final: bool) -> dict:
        """The 2 x 2 (train-IID / held-out x as trained / deployed), written to RUN_DIR/eval/."""
        from projected_grpo.eval import deploy

        cfg = self.cfg
        n = cfg.eval_max_problems or None
        art = deploy.evaluate(self.engine, self.tok, self.grader,
                              {"train_iid": self.train_problems[:n], "test": self.eval_problems[:n]},
                              step=step, final=final, samples=cfg.eval_samples, sampling=cfg.sampling, seed=cfg.seed,
                              modes=tuple(cfg.modes), deployed_differs=cfg.has_quarantine, gen_batch=cfg.gen_batch)
        if not cfg.engine_keep:
            self.engine.release()
        art["reads_oracle"] = cfg.reads_oracle  # an oracle upper bound says so in every artifact
        deploy.write(self.run_dir, art)
        self.log.say(deploy.table(art))
        return art

    def finish(self) -> dict:
        cfg = self.cfg
        final = self.evaluate(cfg.steps, final=True) if cfg.eval_samples else None
        self.adapter.save(self.run_dir / "final-adapter")
        summary = bluf(cfg, self.log.metrics_path, final)
        (self.run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
        self.log.say(summary["text"])
        return summary
