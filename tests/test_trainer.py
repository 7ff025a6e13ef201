"""The GRPO trainer end to end on the tiny model: each arm's effect on the blocks, the oracle
firewall, resume equivalence, the CLI, and the smoke command."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from projected_grpo.cli import main
from projected_grpo.env.grader import Grader, OracleAudit, Verdict
from projected_grpo.train.config import ARMS
from projected_grpo.train.runlog import read_jsonl
from projected_grpo.train.smoke import run_smoke
from projected_grpo.train.teacher import TeacherPool
from projected_grpo.train.trainer import Trainer
from trainer_helpers import problems_file, small_cfg, warm_caches


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One folder per test module: the teacher pool and direction caches are shared."""
    return tmp_path_factory.mktemp("trainer")


def block_state(trainer, block):
    return {n: p.detach().clone() for n, p in trainer.adapter.named_parameters() if n.endswith(f"_{block}")}


def changed(before, trainer, block) -> bool:
    after = block_state(trainer, block)
    return any(not torch.equal(before[n], after[n]) for n in before)


@pytest.mark.parametrize("arm", ARMS)
def test_one_step_moves_exactly_the_blocks_the_arm_trains(shared, arm):
    cfg = small_cfg(shared, arm, steps=2, run_name=f"blocks-{arm}", refresh_every=0, project_update=False)
    t = Trainer(cfg, quiet=True)
    try:
        dep0, quar0 = block_state(t, "dep"), block_state(t, "quar")
        m = t.train_step(1)
    finally:
        t.close()
    assert m["loss/rows_trained"] > 0 and m["rollout/spread"] > 0  # teachers give the groups variance
    assert changed(dep0, t, "dep")
    if arm == "erase":  # the quarantine stays out of the forward and is never trained
        assert not changed(quar0, t, "quar")
        assert m["intervene/cout"] == pytest.approx(0.0, abs=1e-6)  # one_sided identity (pitfall 1)
    else:
        assert changed(quar0, t, "quar")
    if arm in ("erase", "route"):
        assert 0 <= m["intervene/cin_s"] <= 1 and 0 <= m["intervene/cin_t"] <= 1
    if arm == "routeA":
        assert 0 < m["gate/keep"] < 1 and 0 < m["gate/route"] < 1  # both tails populated, warm-up 0
    if arm in ("advmod", "gt_penalty", "gt_screen"):
        assert "shaping/flagged" in m


def test_route_parks_the_removed_gradient_in_the_quarantine(shared):
    cfg = small_cfg(shared, "route", run_name="route-grad", refresh_every=0)
    t = Trainer(cfg, quiet=True)
    try:
        captured = {}
        step = t.optim.step

        def spy():  # the gradients the optimizer receives, after the arm's projection
            for name, mod in t.adapter.modules.items():
                captured[name] = (mod.B_dep.grad.clone(), None if mod.B_quar.grad is None else mod.B_quar.grad.clone())
            return step()

        t.optim.step = spy
        t.train_step(1)
    finally:
        t.close()
    unprojected = [n for n in captured if n not in t.arm.direction.vectors]
    assert unprojected, "the smoke direction's floor should leave some modules unprojected"
    for name in unprojected:  # pitfall 16: nothing parked outside span(V)
        assert captured.pop(name)[1] is None
    for name, (g_dep, g_quar) in captured.items():
        v = t.arm.direction.vectors[name].double()
        assert (v @ g_dep.reshape(-1).double()).max() <= 1e-9  # nothing hack-ward left in the deployed gradient
        in_span = v.T @ (v @ g_quar.reshape(-1).double())  # the quarantine got only in-span components
        assert torch.allclose(in_span, g_quar.reshape(-1).double(), atol=1e-7)


def test_erase_with_update_projection_keeps_the_update_out_of_the_hack_direction(shared):
    cfg = small_cfg(shared, "erase", run_name="erase-update", refresh_every=0, project_update=True, steps=2)
    t = Trainer(cfg, quiet=True)
    try:
        names = list(t.arm.direction.vectors)
        for step in (1, 2):  # step 2 has Adam momentum from step 1
            before = {n: t.adapter.modules[n].B_dep.detach().clone() for n in names}
            t.train_step(step)
            for n in names:
                u = (t.adapter.modules[n].B_dep.detach() - before[n]).reshape(-1).double()
                # a descent update is hack-ward where V u < 0 (pitfall 15): none of that may be left
                assert (t.arm.direction.vectors[n].double() @ u).min() >= -1e-7 * max(float(u.norm()), 1e-30)
    finally:
        t.close()


@pytest.mark.parametrize("project_update", [False, True])
def test_route_leaves_unprojected_quarantines_at_init_and_parks_only_the_removed_part(shared, project_update):
    cfg = small_cfg(shared, "route", steps=2, run_name=f"route-park-{project_update}", refresh_every=0,
                    project_update=project_update)
    t = Trainer(cfg, quiet=True)
    try:
        quar0 = {n: m.B_quar.detach().clone() for n, m in t.adapter.modules.items()}
        for step in (1, 2):
            t.train_step(step)
    finally:
        t.close()
    names = t.arm.direction.vectors
    assert set(names) != set(t.adapter.modules)
    moved = 0
    for n, m in t.adapter.modules.items():
        q = m.B_quar.detach()
        if n not in names:
            assert torch.equal(q, quar0[n]), f"{n}: an unprojected module's quarantine left its init"
            continue
        moved += not torch.equal(q, quar0[n])
        if project_update:  # the quarantine holds exactly removed, hack-ward update parts: in span(V), V q <= 0
            v, dq = names[n].double(), (q - quar0[n]).reshape(-1).double()
            assert torch.allclose(v.T @ (v @ dq), dq, atol=1e-7)
            assert (v @ dq).max() <= 1e-7 * max(float(dq.norm()), 1e-30)
    assert moved > 0


ALL_ARMS = [("vanilla", {}), ("erase", {}), ("erase", dict(project_update=True)), ("route", {}),
            ("route", dict(project_update=True)), ("absorb", {}), ("routeA", {}), ("advmod", {}),
            ("gt_penalty", {}), ("gt_screen", {}), ("routeV", {})]


def _corrupt(monkeypatch):
    """Every oracle label the trainer could see, replaced by garbage."""
    original = Grader.grade_one

    def grade_one(self, req):
        v = original(self, req)
        a = v.audit
        bad = OracleAudit(not a.gt_correct, "hack" if a.label != "hack" else "correct", "run_tests", a.attempt_modes,
                          a.timed_out, 0, a.tests_total, "corrupted")
        return Verdict(v.signal, bad, v.seconds)

    monkeypatch.setattr(Grader, "grade_one", grade_one)
    audit = TeacherPool.audit
    monkeypatch.setattr(TeacherPool, "audit", lambda self, pid, mode: [
        {"gt_correct": not a.get("gt_correct"), "label": "hack" if a.get("label") != "hack" else "correct",
         "hack_mode": None} for a in audit(self, pid, mode)])


def _train(cfg):
    t = Trainer(cfg, quiet=True)
    t.run()
    return {n: p.detach().clone() for n, p in t.adapter.named_parameters()}, read_jsonl(cfg.run_dir() / "metrics.jsonl")


TRAINING_KEYS = ("loss/total", "loss/kl", "optim/grad_norm", "rollout/reward", "policy/lp_s", "gate/t_lo")


@pytest.mark.parametrize("arm,extra", ALL_ARMS, ids=[a + ("-update" if e else "") for a, e in ALL_ARMS])
def test_oracle_firewall_corrupted_labels_leave_training_bit_identical(shared, monkeypatch, arm, extra):
    name = f"fw-{arm}{'-update' if extra else ''}"
    cfg = small_cfg(shared, arm, steps=2, run_name=f"{name}-clean", refresh_every=0, **extra)
    warm_caches(cfg)
    clean_params, clean_rows = _train(cfg)
    _corrupt(monkeypatch)
    bad_params, bad_rows = _train(dataclasses.replace(cfg, run_name=f"{name}-corrupt"))
    assert [r["oracle/hack_s"] for r in clean_rows] != [r["oracle/hack_s"] for r in bad_rows]  # corruption is live
    same = all(torch.equal(clean_params[n], bad_params[n]) for n in clean_params)
    if arm in ("gt_penalty", "gt_screen"):  # the oracle upper bounds read the labels: they must change
        assert not same
        assert json.loads((cfg.run_dir() / "config.json").read_text())["reads_oracle"] is True
    else:
        assert same
        for a, b in zip(clean_rows, bad_rows):
            assert {k: a.get(k) for k in TRAINING_KEYS} == {k: b.get(k) for k in TRAINING_KEYS}


def _comparable(rows):
    return [{k: v for k, v in r.items() if not k.startswith(("time/", "mem/", "gen/"))} for r in rows]


@pytest.mark.parametrize("arm,extra", [("routeA", dict(gen_deploy_frac=0.25, refresh_every=2)),
                                       ("erase", dict(project_update=True, refresh_every=2)),
                                       ("routeV", dict(gen_deploy_frac=0.25, refresh_every=2))])
def test_resume_gives_the_same_steps_as_an_uninterrupted_run(shared, arm, extra):
    cfg = small_cfg(shared, arm, steps=3, run_name=f"resume-{arm}-full", **extra)
    warm_caches(cfg)
    full_params, full_rows = _train(cfg)
    cut = dataclasses.replace(cfg, run_name=f"resume-{arm}-cut", stop_at=1)
    Trainer(cut, quiet=True).run()
    with open(cut.run_dir() / "metrics.jsonl", "a") as f:
        f.write('{"step": 2, "loss/to')  # a run killed mid-write: a partial line
    t = Trainer.resume(cut.run_dir(), quiet=True)
    t.run()
    resumed = {n: p.detach().clone() for n, p in t.adapter.named_parameters()}
    rows = read_jsonl(cut.run_dir() / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2, 3]
    assert _comparable(rows) == _comparable(full_rows)
    assert all(torch.equal(full_params[n], resumed[n]) for n in full_params)
    assert len(read_jsonl(cut.run_dir() / "rollouts.jsonl")) == len(read_jsonl(cfg.run_dir() / "rollouts.jsonl"))


def test_fast_engine_in_the_trainer_and_engine_logprobs_as_logp_old(shared):
    """The fast engine (eager on CPU) drives a routeA step with deployed rows; taking logπ_old from
    its sampling log-probs gives the same step as recomputing it, up to float noise."""
    rows = {}
    for source in ("recompute", "engine"):
        cfg = small_cfg(shared, "routeA", steps=1, engine="fast", gen_deploy_frac=0.25, behaviour_logp=source,
                        run_name=f"fast-{source}")
        warm_caches(cfg)
        t = Trainer(cfg, quiet=True)
        rows[source] = t.train_step(1)
        t.log.close()
        t.close()
        assert type(t.engine).__name__ == "FastGenerate" and rows[source]["gen/decode_steps"] > 0
    a, b = rows["recompute"], rows["engine"]
    assert a["rollout/reward"] == b["rollout/reward"] and a["rollout/len_s"] == b["rollout/len_s"]  # same rollouts
    for key in ("loss/pg", "loss/total", "policy/ratio", "policy/ratio_sampled_ablated"):
        assert b[key] == pytest.approx(a[key], abs=1e-5), key


def test_advantage_baseline_per_sampling_mode_reaches_the_step(shared):
    """--advantage-baseline sampling_mode: in the trainer's step each group's ablated-sampled rows
    and its full-model rows are centred on their own means (rollouts.jsonl's advantages), and the
    ablated slice's metrics are logged; the default centres the whole group."""
    sums = {}
    for baseline in ("group", "sampling_mode"):
        cfg = small_cfg(shared, "routeA", steps=1, gen_deploy_frac=0.5, advantage_baseline=baseline, group_size=6,
                        teacher_per_prompt=0, run_name=f"baseline-{baseline}")
        warm_caches(cfg)
        t = Trainer(cfg, quiet=True)
        grade = t.grade

        def graded_apart(groups, rollouts):  # the ablated rows earn less, as when the full model hacks
            audits, seconds = grade(groups, rollouts)
            for i, r in enumerate(rollouts):
                r.reward = 0.5 * (i % 2) if r.deployed else 3.0 * (i % 2)
            return audits, seconds

        t.grade = graded_apart
        row = t.train_step(1)
        t.log.close()
        t.close()
        assert {"rollout/adv_s_ablated", "rollout/compiles_s_ablated", "rollout/compiles_s"} <= row.keys()
        assert (row["rollout/adv_s_ablated"] < -0.1) == (baseline == "group")
        rollouts = read_jsonl(cfg.run_dir() / "rollouts.jsonl")
        assert {r["deployed"] for r in rollouts} == {False, True}
        sums[baseline] = {}
        for r in rollouts:
            for key in ((r["group"], r["deployed"]), (r["group"], None)):
                sums[baseline][key] = sums[baseline].get(key, 0.0) + r["advantage"]
    assert all(abs(v) < 1e-5 for v in sums["sampling_mode"].values())
    assert all(abs(v) < 1e-5 for k, v in sums["group"].items() if k[1] is None)


def test_cli_train_stop_resume_and_bad_flags(shared, capsys):
    out = shared / "cli"
    args = ["train", "--preset", "smoke", "--arm", "erase", "--problems", problems_file(shared), "--steps", "2",
            "--stop-at", "1", "--out", str(out), "--cache-dir", str(shared / "cache"), "--eval-samples", "0", "--eval-every", "0",
            "--prompts-per-step", "2", "--group-size", "3", "--sampling.max-new-tokens", "6",
            "--pairs", "hack_pairs#weak_predicate", "--no-tensorboard"]
    assert main(args) == 0
    run = out / "smoke-erase-real-s0"
    assert main(["train", "--resume", str(run), "--lr", "1"]) == 2
    assert main(["train", "--resume", str(run)]) == 0
    rows = read_jsonl(run / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2]
    assert (run / "summary.json").exists() and (run / "final-adapter" / "adapter.safetensors").exists()
    saved = json.loads((run / "config.json").read_text())
    assert saved["config"]["arm"] == "erase" and saved["config"]["variant"] == "auto" and saved["resumed_from"] == 1
    assert main(args) == 2  # the run directory is taken
    assert main(["train", "--preset", "smoke", "--arm", "vanilla", "--gen-deploy-frac", "0.5"]) == 2
    assert main(["train", "--preset", "nope"]) == 2
    err = capsys.readouterr().err
    assert "already holds a run" in err and "--gen-deploy-frac" in err and "presets are" in err


def test_smoke_runs_every_arm_through_every_path(shared, capsys):
    status = run_smoke(shared / "smoke", workers=1, problems=problems_file(shared), prompts_per_step=2, group_size=3,
                       pairs="hack_pairs#weak_predicate", eval_max_problems=2, tensorboard=False,
                       gate=dataclasses.replace(small_cfg(shared).gate, warmup=8),
                       sampling=small_cfg(shared).sampling)
    out = capsys.readouterr().out
    assert status == 0, out[-3000:]
    assert "every path fired" in out
    for arm in ARMS:
        assert f"\n{arm}" in out
