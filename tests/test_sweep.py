"""`pgrpo sweep` (analysis/sweep.py): override flags, job names, skip / resume / restart, the local
queue (GPU slots, failures), bad overrides failing up front, and real tiny sweeps on CPU, local
and on a local Ray cluster."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import types
from collections import Counter
from pathlib import Path

import pytest
import tyro

from projected_grpo.analysis import sweep, sweep_run
from projected_grpo.analysis.sweep import override_flags, parse_job, plan_jobs, sweep_main
from projected_grpo.errors import UserError
from projected_grpo.train.config import TrainConfig, preset
from trainer_helpers import problems_file

RESULTS = "projected_grpo.analysis.results"


def tiny_overrides(tmp: Path, steps: int = 2) -> tuple[str, ...]:
    """The smoke preset at its smallest: 1 prompt x (1 student + 1 teacher), 4 new tokens."""
    return (f"problems={problems_file(tmp)}", f"steps={steps}", "prompts_per_step=1", "group_size=2",
            "teacher_per_prompt=1", "sampling.max_new_tokens=4", "eval_samples=1", "eval_max_problems=1",
            "eval_every=0", "kl_coef=0", "pairs=hack_pairs#weak_predicate", "tensorboard=false", "workers=1",
            f"cache_dir={tmp / 'cache'}")


def fake_results(calls: list) -> types.ModuleType:
    mod = types.ModuleType(RESULTS)

    def results_main(run_dirs, by=("arm",), out=None, last_k=5):
        calls.append((sorted(Path(d).name for d in run_dirs), out))
        return 0

    mod.results_main = results_main
    return mod


def captured(fn, *args, **kw) -> tuple[int, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = fn(*args, **kw)
    print(buf.getvalue())
    return rc, buf.getvalue()


def metric_steps(run_dir: Path) -> list[int]:
    return [json.loads(line)["step"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


# -- units -----------------------------------------------------------------------------------
def test_override_flags_unit_cases():
    assert override_flags(["lr=1e-3"]) == ["--lr", "1e-3"]
    assert override_flags(["tensorboard=false", "project_update=True"]) == ["--no-tensorboard", "--project-update"]
    assert override_flags(["modes=run_tests,stdout_marker"]) == ["--modes", "run_tests", "stdout_marker"]
    assert override_flags(["sampling.max_new_tokens=8"]) == ["--sampling.max-new-tokens", "8"]
    assert override_flags(["held_out_modes="]) == ["--held-out-modes"]
    assert override_flags(["pairs=hack_pairs@run_tests,stdout_marker"]) == ["--pairs", "hack_pairs@run_tests,stdout_marker"]
    assert override_flags(["workers=None", "gate.tail_q=0.1"]) == ["--workers", "None", "--gate.tail-q", "0.1"]
    # the flags are the ones tyro reads: every override lands in the config
    flags = override_flags(["lr=2e-3", "tensorboard=false", "modes=run_tests,stdout_marker", "betas=0.8,0.9",
                            "sampling.max_new_tokens=8", "workers=3"])
    cfg = tyro.cli(TrainConfig, args=flags, default=preset("smoke", "vanilla"))
    assert (cfg.lr, cfg.tensorboard, cfg.modes, cfg.betas) == (2e-3, False, ("run_tests", "stdout_marker"), (0.8, 0.9))
    assert (cfg.sampling.max_new_tokens, cfg.workers) == (8, 3)
    for bad, why in [("nope=1", "no field 'nope'"), ("lr", "KEY=VALUE"), ("seed=1", "--seeds"), ("arm=erase", "--arms"),
                     ("tensorboard=maybe", "true or false"), ("sampling.nope=1", "SamplingConfig has no field"),
                     ("lr.x=1", "not a group"), ("sampling=3", "is a group"), ("stepz=3", "did you mean steps")]:
        with pytest.raises(UserError, match=why):
            override_flags([bad])
    with pytest.raises(UserError, match="twice"):
        override_flags(["lr=1e-3", "lr=2e-3"])


def test_names_commands_and_hash(tmp_path):
    out = tmp_path / "runs"
    plain = plan_jobs(("vanilla", "erase"), (0, 1), "smoke", (), out)
    assert [j.name for j in plain] == ["smoke-vanilla-s0", "smoke-erase-s0", "smoke-vanilla-s1", "smoke-erase-s1"]
    assert all(j.status == "new" for j in plain)

    def names(*ov):
        return [j.name for j in plan_jobs(("erase",), (1,), "smoke", ov, out)]

    [a] = names("lr=1e-3", "steps=3")
    assert a.startswith("smoke-erase-s1-") and len(a) == len("smoke-erase-s1-") + 6
    assert names("steps=3", "lr=0.001") == [a]  # same values, another spelling and order
    assert names("lr=1e-3", "steps=3", "stop_at=1") == [a]  # stop_at is not part of the name
    assert names("lr=2e-3", "steps=3") != [a] and names("lr=1e-3") != [a]
    [job] = plan_jobs(("erase",), (1,), "smoke", ("lr=1e-3", "tensorboard=false"), out)
    assert job.command() == [sys.executable, "-m", "projected_grpo.cli", "train", "--preset", "smoke", "--arm",
                             "erase", "--seed", "1", "--out", str(out), "--run-name", job.name, "--lr", "1e-3",
                             "--no-tensorboard"]
    cfg = parse_job("smoke", "erase", job.command()[4:])  # what `pgrpo train` will build
    assert (cfg.run_dir(), cfg.lr, cfg.seed, cfg.tensorboard) == (out / job.name, 1e-3, 1, False)


def test_seed_token_gives_each_seed_its_own_value_under_one_suffix(tmp_path):
    """direction_seed={seed}: a Haar band over draws, named like any other override group."""
    jobs = plan_jobs(("route",), (0, 1, 2), "smoke", ("direction=haar", "direction_seed={seed}"), tmp_path)
    cfgs = [parse_job("smoke", "route", j.command()[4:]) for j in jobs]
    assert [c.direction_seed for c in cfgs] == [0, 1, 2] and all(c.direction == "haar" for c in cfgs)
    suffixes = {j.name.rsplit("-", 1)[1] for j in jobs}
    assert len(suffixes) == 1 and len(suffixes.pop()) == 6
    fixed = plan_jobs(("route",), (0,), "smoke", ("direction=haar", "direction_seed=0"), tmp_path)
    assert fixed[0].name != jobs[0].name  # one fixed draw for every seed is another configuration
    with pytest.raises(UserError, match="direction-seed.*x0"):  # a bad value fails before any job, named
        plan_jobs(("route",), (0,), "smoke", ("direction_seed=x{seed}",), tmp_path)


def make_states(out: Path, ov: tuple[str, ...]) -> dict[str, Path]:
    """vanilla-s0: a failed start; vanilla-s1: cut after step 1; erase-s0: finished."""
    names = {(j.arm, j.seed): j.name for j in plan_jobs(("vanilla", "erase"), (0, 1, 2), "smoke", ov, out)}
    stale, cut, done = out / names["vanilla", 0], out / names["vanilla", 1], out / names["erase", 0]
    stale.mkdir(parents=True)
    (stale / "metrics.jsonl").write_text("")
    (cut / "checkpoints" / "step-000001").mkdir(parents=True)
    (cut / "config.json").write_text("{}")
    done.mkdir()
    (done / "summary.json").write_text("{}")
    return dict(stale=stale, cut=cut, done=done, **{f"{a}{s}": out / n for (a, s), n in names.items()})


def fake_runner(monkeypatch, fail: str = "", sleep: float = 0.3) -> list[dict]:
    calls, lock = [], threading.Lock()

    def run_job(cmd, log, env, cwd=None):
        rec = dict(cmd=cmd, log=Path(log), env=env, start=time.time())
        time.sleep(sleep)
        rec["end"] = time.time()
        with lock:
            calls.append(rec)
        return (3 if fail and fail in " ".join(cmd) else 0), rec["end"] - rec["start"]

    monkeypatch.setattr(sweep_run, "run_job", run_job)
    return calls


def max_overlap(calls: list[dict]) -> int:
    """The most jobs running at one moment (at some job's start)."""
    return max(sum(d["start"] <= c["start"] < d["end"] for d in calls) for c in calls)


def test_local_queue_gpu_slots_failure_restart_resume(tmp_path, monkeypatch):
    out, ov = tmp_path / "runs", ("steps=3",)
    d = make_states(out, ov)
    calls = fake_runner(monkeypatch, fail=d["vanilla0"].name)
    rc, text = captured(sweep_main, ("vanilla", "erase"), (0, 1, 2), "smoke", ov, out, gpus="0,1", results=False)
    assert rc == 1  # one job failed ...
    ran = {Path(c["cmd"][c["cmd"].index("--run-name" if "--run-name" in c["cmd"] else "--resume") + 1]).name
           for c in calls}
    assert ran == {d[k].name for k in ("vanilla0", "vanilla1", "vanilla2", "erase1", "erase2")}  # ... the rest ran
    assert "FAILED (exit 3" in text and "skip  " + d["done"].name in text
    assert not d["stale"].exists() and "removed " + str(d["stale"]) in text  # a failed start starts again
    [resumed] = [c for c in calls if "--resume" in c["cmd"]]
    assert resumed["cmd"][4:] == ["--resume", str(d["cut"])] and resumed["log"] == out / f"{d['cut'].name}.log"
    for gpu in ("0", "1"):  # one job at a time per GPU, both GPUs used
        on = [c for c in calls if c["env"] == {"CUDA_VISIBLE_DEVICES": gpu}]
        assert on and max_overlap(on) == 1
    assert len(calls) == 5


def test_retries_resume_failed_jobs_from_their_checkpoints(tmp_path, monkeypatch):
    """--retries N: a job that failed (here: every run on the GPU at once, as under MPS when one
    client dies) runs again from its last checkpoint after RETRY_WAIT_S; one that failed before
    any checkpoint starts over; the rest are not run twice; 0 (the default) retries nothing."""
    out = tmp_path / "runs"
    jobs = {j.seed: j for j in plan_jobs(("vanilla",), (0, 1, 2), "smoke", ("steps=3",), out)}
    calls, waits, attempts = [], [], Counter()
    monkeypatch.setattr(sweep, "RETRY_WAIT_S", 7.0)
    monkeypatch.setattr(sweep.time, "sleep", waits.append)

    def run_job(cmd, log, env, cwd=None):
        calls.append(cmd)
        d = Path(cmd[cmd.index("--resume") + 1]) if "--resume" in cmd else out / cmd[cmd.index("--run-name") + 1]
        attempts[d.name] += 1
        if attempts[d.name] == 1 and d.name == jobs[0].name:  # crashes after checkpointing step 2
            (d / "checkpoints" / "step-000002").mkdir(parents=True)
            (d / "config.json").write_text("{}")
            return 1, 0.0
        if attempts[d.name] == 1 and d.name == jobs[1].name:  # crashes before its first checkpoint
            d.mkdir(parents=True)
            return 1, 0.0
        d.mkdir(parents=True, exist_ok=True)
        (d / "summary.json").write_text("{}")
        return 0, 0.0

    monkeypatch.setattr(sweep_run, "run_job", run_job)
    rc, text = captured(sweep_main, ("vanilla",), (0, 1, 2), "smoke", ("steps=3",), out, gpus="0", results=False,
                        retries=2)
    assert rc == 0 and waits == [7.0]  # one retry was enough; the second never ran
    assert f"retry 1 of 2 in 7s: {jobs[0].name}, {jobs[1].name}" in text
    runs_of = lambda j: [c for c in calls if j.name in " ".join(c)]
    assert [c[4:6] for c in runs_of(jobs[0])][1] == ["--resume", str(jobs[0].run_dir)]  # from step 2
    assert "--run-name" in runs_of(jobs[1])[1] and f"removed {jobs[1].run_dir}" in text  # started over
    assert len(runs_of(jobs[2])) == 1 and len(calls) == 5
    calls.clear()
    attempts.clear()
    for j in jobs.values():  # the default: a failure is reported, not retried
        shutil.rmtree(j.run_dir)
    rc, text = captured(sweep_main, ("vanilla",), (0, 1, 2), "smoke", ("steps=3",), out, gpus="0", results=False)
    assert rc == 1 and "retry" not in text and len(calls) == 3
    with pytest.raises(UserError, match="--retries -1"):
        sweep_main(("vanilla",), (0,), "smoke", (), out, retries=-1)


def test_jobs_per_gpu_stack_jobs_on_each_gpu(tmp_path, monkeypatch):
    calls = fake_runner(monkeypatch, sleep=0.3)
    assert sweep_main(("vanilla",), (0, 1, 2, 3, 4, 5), "smoke", (), tmp_path / "a", gpus="0,1", results=False,
                      jobs_per_gpu=3) == 0
    for gpu in ("0", "1"):
        on = [c for c in calls if c["env"] == {"CUDA_VISIBLE_DEVICES": gpu}]
        assert len(on) == 3 and max_overlap(on) == 3
    with pytest.raises(UserError, match="jobs-per-gpu"):
        sweep_main(("vanilla",), (0,), "smoke", (), tmp_path / "b", backend="ray", jobs_per_gpu=2)


def test_cpu_parallelism(tmp_path, monkeypatch):
    calls = fake_runner(monkeypatch, sleep=0.2)
    assert sweep_main(("vanilla",), (0, 1, 2, 3), "smoke", (), tmp_path / "a", gpus="", results=False) == 0
    assert max_overlap(calls) == 1 and all(c["env"]["CUDA_VISIBLE_DEVICES"] == "" for c in calls)
    calls.clear()
    assert sweep_main(("vanilla",), (0, 1, 2, 3), "smoke", (), tmp_path / "b", gpus="cpu", max_parallel=3,
                      results=False) == 0
    assert len(calls) == 4 and max_overlap(calls) == 3


def test_dry_run_prints_the_table_and_runs_nothing(tmp_path, monkeypatch):
    out, ov = tmp_path / "runs", ("steps=3",)
    d = make_states(out, ov)
    calls = fake_runner(monkeypatch)
    rc, text = captured(sweep_main, ("vanilla", "erase"), (0, 1, 2), "smoke", ov, out, dry_run=True)
    assert rc == 0 and not calls and d["stale"].exists()
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[2:]}
    assert rows[d["stale"].name][0] == "restart" and rows[d["cut"].name][:4] == ["resume", "pgrpo", "train", "--resume"]
    assert rows[d["done"].name][0] == "done" and rows[d["vanilla2"].name][:3] == ["new", "pgrpo", "train"]


@pytest.mark.parametrize("bad, why", [("lr=abc", "--lr"), ("nope=1", "nope"), ("direction=haar", "arm 'vanilla'"),
                                      ("prompts_per_step=0", "prompts_per_step >= 1")])
def test_bad_override_fails_before_any_job(tmp_path, monkeypatch, bad, why):
    calls = fake_runner(monkeypatch)
    with pytest.raises(UserError, match=why):
        sweep_main(("erase", "vanilla"), (0, 1), "smoke", ("steps=3", bad), tmp_path / "runs")
    assert not calls and not (tmp_path / "runs").exists()


def test_ray_missing_is_a_user_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(UserError, match=r"pip install -e '\.\[sweep\]'"):
        sweep_main(("vanilla",), (0,), "smoke", (), tmp_path / "runs", backend="ray")


# -- real tiny sweeps --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    """erase-s1 cut after step 1 by a first call; then vanilla, erase x seeds 0, 1 (the cut run resumes)."""
    tmp = tmp_path_factory.mktemp("sweep")
    out, ov, calls = tmp / "runs", tiny_overrides(tmp), []
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, RESULTS, fake_results(calls))
        rc0, _ = captured(sweep_main, ("erase",), (1,), "smoke", ov + ("stop_at=1",), out, gpus="", results=False)
        [cut] = [p for p in out.iterdir() if p.is_dir()]
        partial = dict(rc=rc0, name=cut.name, steps=metric_steps(cut), summary=(cut / "summary.json").exists(),
                       ckpts=sorted(p.name for p in (cut / "checkpoints").iterdir()))
        t0 = time.time()
        rc, text = captured(sweep_main, ("vanilla", "erase"), (0, 1), "smoke", ov, out, max_parallel=2)
    return types.SimpleNamespace(out=out, ov=ov, partial=partial, rc=rc, text=text, calls=calls, secs=time.time() - t0)


def test_local_sweep_finishes_every_run_and_tabulates(local_sweep):
    s = local_sweep
    assert s.rc == 0, s.text
    dirs = sorted(p for p in s.out.iterdir() if p.is_dir())
    assert [p.name.rsplit("-", 1)[0] for p in dirs] == ["smoke-erase-s0", "smoke-erase-s1", "smoke-vanilla-s0",
                                                        "smoke-vanilla-s1"]
    for d in dirs:
        assert (d / "summary.json").exists() and metric_steps(d) == [1, 2], d
        assert (s.out / f"{d.name}.log").read_text().count("BLUF") == 1
        assert json.loads((d / "config.json").read_text())["config"]["sampling"]["max_new_tokens"] == 4
    assert s.text.count("end   ") == 4 and s.text.count(" ok ") == 4
    assert s.calls == [([d.name for d in dirs], s.out / "results")]


def test_interrupted_run_is_resumed(local_sweep):
    s, p = local_sweep, local_sweep.partial
    assert p["rc"] == 0 and p["steps"] == [1] and p["ckpts"] == ["step-000001"] and not p["summary"]
    assert f"{p['name']:<32} resume" in s.text
    assert "resuming after step 1" in (s.out / f"{p['name']}.log").read_text()
    assert metric_steps(s.out / p["name"]) == [1, 2]  # step 1 kept, step 2 added, nothing twice


def test_second_call_skips_everything(local_sweep, monkeypatch):
    s = local_sweep

    def boom(*a, **k):
        raise AssertionError("a finished sweep started a job")

    monkeypatch.setattr(sweep_run, "run_job", boom)
    monkeypatch.setattr(sweep_run.subprocess, "run", boom)
    calls = []
    monkeypatch.setitem(sys.modules, RESULTS, fake_results(calls))
    t0 = time.time()
    rc, text = captured(sweep_main, ("vanilla", "erase"), (0, 1), "smoke", s.ov, s.out)
    assert rc == 0 and time.time() - t0 < 10 and "4 done" in text and text.count("skip  ") == 4
    assert len(calls) == 1 and len(calls[0][0]) == 4
    monkeypatch.setitem(sys.modules, RESULTS, None)  # results.py not written yet: said, not fatal
    rc, text = captured(sweep_main, ("vanilla", "erase"), (0, 1), "smoke", s.ov, s.out)
    assert rc == 0 and "results: projected_grpo.analysis.results is not available" in text


def test_ray_backend_on_cpu(tmp_path, monkeypatch):
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install -e '.[sweep]')")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    calls = []
    monkeypatch.setitem(sys.modules, RESULTS, fake_results(calls))
    out = tmp_path / "runs"
    rc, text = captured(sweep_main, ("vanilla",), (0, 1), "smoke", tiny_overrides(tmp_path, steps=1), out,
                        backend="ray", max_parallel=2)
    assert rc == 0, text
    dirs = sorted(p for p in out.iterdir() if p.is_dir())
    assert [p.name.rsplit("-", 1)[0] for p in dirs] == ["smoke-vanilla-s0", "smoke-vanilla-s1"]
    assert all((d / "summary.json").exists() and metric_steps(d) == [1] for d in dirs)
    assert all((out / f"{d.name}.log").exists() for d in dirs) and "submitted to ray" in text
    assert calls == [([d.name for d in dirs], out / "results")]
    assert not ray.is_initialized()  # we started it, we stopped it


def test_seed_ranges():
    from projected_grpo.analysis.sweep import parse_seeds

    assert parse_seeds(("0-2", "7", "3,5")) == (0, 1, 2, 7, 3, 5)
    assert parse_seeds((4, 4)) == (4,)
    with pytest.raises(UserError, match="range like 0-9"):
        parse_seeds(("a-b",))


def test_one_call_expands_arms_controls_and_matched_vanillas(tmp_path, capsys):
    from projected_grpo.analysis.sweep import expand

    specs = expand(("erase", "routeA"), "smoke", ("steps=3",), controls=("haar",), matched_vanilla=True,
                   set_variant=("frozen_a:lr=1e-2",), set_arm=("erase:overshoot=1.5",))
    assert specs == [
        ("erase", ("steps=3", "lr=1e-2", "overshoot=1.5")),
        ("routeA", ("steps=3",)),
        ("erase", ("steps=3", "lr=1e-2", "overshoot=1.5", "direction=haar", "direction_seed={seed}")),
        ("routeA", ("steps=3", "direction=haar", "direction_seed={seed}")),
        ("vanilla", ("steps=3", "lr=1e-2", "variant=frozen_a")),  # erase's baseline: its adapter, its lr
        ("vanilla", ("steps=3",)),  # routeA's: lora2r, vanilla's own default
    ]
    rc, text = captured(sweep_main, ("erase", "routeA"), ("0-1",), "smoke", ("steps=3",), tmp_path, dry_run=True,
                        controls=("haar",), matched_vanilla=True, set_variant=("frozen_a:lr=1e-2",))
    assert rc == 0 and "sweep: 12 jobs" in text
    assert "--arm erase --seed 1" in text and "--direction haar --direction-seed 1" in text


def test_controls_need_a_direction_arm_and_scopes_need_their_form():
    from projected_grpo.analysis.sweep import expand

    with pytest.raises(UserError, match="none of the arms reads one"):
        expand(("vanilla",), "smoke", (), controls=("haar",))
    with pytest.raises(UserError, match="controls are"):
        expand(("erase",), "smoke", (), controls=("real",))
    with pytest.raises(UserError, match="SCOPE:FIELD=VALUE"):
        expand(("erase",), "smoke", (), set_variant=("lr=1e-2",))
    with pytest.raises(UserError, match="unknown arm"):
        expand(("erase",), "smoke", (), set_arm=("erasee:lr=1",))


def test_set_variant_names_a_real_adapter_variant():
    from projected_grpo.analysis.sweep import expand

    with pytest.raises(UserError, match="unknown adapter variant"):
        expand(("erase",), "smoke", (), set_variant=("frozna:lr=1e-2",))


def test_jobs_are_queued_seed_major_so_a_cut_sweep_keeps_matched_seeds(tmp_path):
    """A sweep that runs out of time after the first k jobs must hold every arm (and control) at
    the same seeds: the paired test compares real and Haar on matched seeds."""
    jobs = plan_jobs(("vanilla", "erase", "route"), (3, 1, 2), "smoke", (), tmp_path)
    assert [j.seed for j in jobs] == [3, 3, 3, 1, 1, 1, 2, 2, 2]
    assert [j.arm for j in jobs[:3]] == ["vanilla", "erase", "route"]


def test_the_sweep_script_runs_the_preregistered_arms_and_seeds(tmp_path):
    """scripts/smollm2_sweep.sh, its sweeps as dry runs through the real CLI: exactly the
    preregistration's jobs (erase, route, routeA real and per-seed Haar at seeds 0-9; vanilla on
    both adapters, gt_screen and AdvMod at seeds 0-4), every frozen_a job (and only those) at
    FROZEN_A_LR, each Haar draw seeded by its run's seed, and ORG_SET's overrides in every job (the
    organism itself is the smollm2 preset's: tests/test_emergence_script.py)."""
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$@" >> {tmp_path}/calls
if [ "$1" = sweep ]; then shift; exec {sys.executable} -m projected_grpo.cli sweep "$@" --dry-run; fi
if [ "$1" = results ]; then  # the report the extension reads: its power table from FAKE_REPORT
  while [ $# -gt 0 ]; do [ "$1" = --out ] && o=$2; shift; done
  mkdir -p "$o" && printf '%s' "$FAKE_REPORT" > "$o/results.json"
fi
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_sweep.sh"
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"), FROZEN_A_LR="7e-3",
               ORG_SET="workers=2 eval_every=20", FAKE_REPORT='{"power": []}')
    done = subprocess.run(["bash", str(script), str(tmp_path / "out"), "4"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    train = [line[line.index("pgrpo train"):] for line in done.stdout.splitlines() if " new " in line]

    def arg(cmd, flag):
        return cmd.split(f"{flag} ")[1].split()[0] if f"{flag} " in cmd else None

    jobs = Counter((arg(c, "--arm"), arg(c, "--direction") or "real", arg(c, "--variant"), int(arg(c, "--seed")))
                   for c in train)
    want = Counter({(a, d, None, s): 1 for a in ("erase", "route", "routeA") for d in ("real", "haar")
                    for s in range(10)})
    want.update({(a, "real", None, s): 1 for a in ("vanilla", "gt_screen", "advmod") for s in range(5)})
    want.update({("vanilla", "real", "frozen_a", s): 1 for s in range(5)})
    assert jobs == want
    for cmd in train:
        frozen = arg(cmd, "--arm") in ("erase", "route") or arg(cmd, "--variant") == "frozen_a"
        assert (arg(cmd, "--lr") == "7e-3") == frozen, cmd
        assert arg(cmd, "--preset") == "smollm2", cmd
        assert (arg(cmd, "--workers"), arg(cmd, "--eval-every")) == ("2", "20"), cmd
        assert arg(cmd, "--model") == str(tmp_path / "org"), cmd
        if arg(cmd, "--direction") == "haar":
            assert arg(cmd, "--direction-seed") == arg(cmd, "--seed"), cmd
    calls = [c.split()[0] for c in (tmp_path / "calls").read_text().splitlines()]
    assert calls == ["sweep"] * 4 + ["results", "plot"]
    assert all(f"no relearn at seed {s}: no lora2r vanilla run" in done.stdout for s in range(5))  # said, not silent
    missing = subprocess.run(["bash", str(script)], env=dict(env, MODEL=""), capture_output=True, text=True)
    assert missing.returncode != 0 and "MODEL" in missing.stderr

    # The relearn wave, on the run folders the sweeps name: every finished intervention run
    # (real direction) and lora2r's vanilla at seeds 0-4 relearns towards that vanilla's final
    # rate; Haar controls, frozen_a's vanilla, unfinished runs and runs already relearnt do not.
    names = {}  # (sweep folder, arm, variant, seed) -> the run name the sweep gives it
    for line in done.stdout.splitlines():
        if " new " in line:
            cmd = line[line.index("pgrpo train"):]
            names[(Path(arg(cmd, "--out")).name, arg(cmd, "--arm"), arg(cmd, "--variant"), int(arg(cmd, "--seed")))] = \
                arg(cmd, "--run-name")
    out = tmp_path / "out"

    def finish(sweep, arm, seed, variant=None):
        run = out / sweep / names[(sweep, arm, variant, seed)]
        (run / "final-adapter").mkdir(parents=True)
        return run

    target = {s: finish("baselines", "vanilla", s) for s in (0, 1, 2, 3)}  # seed 4's vanilla unfinished
    want = []
    for s in (0, 1, 2, 3, 4):
        for arm in ("erase", "route", "routeA"):
            run = finish("real", arm, s)
            finish("haar", arm, s)
            if s in target:
                want.append((run, target[s]))
        finish("vanilla-frozen_a", "vanilla", s, "frozen_a")
        if s in target:
            want.append((target[s], target[s]))
    (out / "real" / names[("real", "route", None, 2)] / "relearn.json").write_text("{}")
    want.remove((out / "real" / names[("real", "route", None, 2)], target[2]))
    (tmp_path / "calls").unlink()
    again = subprocess.run(["bash", str(script), str(out), "4"], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    relearns = [c.split() for c in (tmp_path / "calls").read_text().splitlines() if c.startswith("relearn")]
    assert sorted((Path(c[1]), Path(c[c.index("--vanilla") + 1])) for c in relearns) == sorted(want)
    assert "no relearn at seed 4" in again.stdout and "no relearn at seed 3" not in again.stdout
    assert all(c[c.index("--steps") + 1] == "30" for c in relearns)

    # The preregistered extension: seeds 10-29 for exactly the arms whose real − Haar comparison
    # cannot detect DELTA with 80% power (a vs-vanilla row does not count), real and Haar side by side.
    def power(family, group, reference, detectable):
        return {"family": family, "group": group, "reference": reference, "detectable": detectable}

    report = {"power": [power("paired_vs_control", "erase/real", "erase/haar", 0.30),
                        power("paired_vs_control", "route/real", "route/haar", 0.10),
                        power("paired_vs_vanilla", "route/real", "vanilla", 0.50),
                        power("paired_vs_control", "routeA/real", "routeA/haar", 0.20)]}
    (tmp_path / "calls").unlink()
    third = subprocess.run(["bash", str(script), str(out), "4"], env=dict(env, FAKE_REPORT=json.dumps(report)),
                           capture_output=True, text=True)
    assert third.returncode == 0, third.stderr
    extra = Counter((arg(c, "--arm"), arg(c, "--direction") or "real", int(arg(c, "--seed")))
                    for c in (line[line.index("pgrpo train"):] for line in third.stdout.splitlines() if " new " in line)
                    if int(arg(c, "--seed")) >= 10)
    assert extra == Counter({(a, d, s): 1 for a in ("erase", "routeA") for d in ("real", "haar") for s in range(10, 30)})
    calls = [c.split()[0] for c in (tmp_path / "calls").read_text().splitlines() if not c.startswith("relearn")]
    assert calls == ["sweep"] * 4 + ["results", "sweep", "sweep", "results", "plot"]
    # DELTA itself: one line, exit 2, nothing run
    for bad in ("0", "abc", "1.5"):
        (tmp_path / "calls").unlink(missing_ok=True)
        refused = subprocess.run(["bash", str(script), str(out)], env=dict(env, DELTA=bad), capture_output=True, text=True)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and f"DELTA={bad}" in refused.stderr
        assert not (tmp_path / "calls").exists()


def test_a_slice_of_the_sweep_script_runs_only_its_seeds_and_waves(tmp_path):
    """SEEDS=A-B WAVES=... (one device session's share: a run and its relearn must share a machine):
    the primary wave at the preregistered seeds inside the slice only, no baselines wave, relearns
    for the slice's seeds 0-4 only, and no results, extension or plots (they read the whole sweep).
    A bad SEEDS or WAVES is refused in one line with nothing run."""
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$@" >> {tmp_path}/calls
if [ "$1" = sweep ]; then shift; exec {sys.executable} -m projected_grpo.cli sweep "$@" --dry-run; fi
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_sweep.sh"
    out = tmp_path / "out"
    for s in (3, 4, 5):  # finished runs (by the names' pattern) the relearn wave may pick up
        for sweep_dir, arm in (("real", "erase"), ("real", "routeA"), ("baselines", "vanilla")):
            (out / sweep_dir / f"smollm2-{arm}-s{s}-abc123" / "final-adapter").mkdir(parents=True)
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"), FROZEN_A_LR="7e-3",
               SEEDS="3-11", WAVES="primary,relearn")
    done = subprocess.run(["bash", str(script), str(out), "4"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    train = [line[line.index("pgrpo train"):] for line in done.stdout.splitlines() if " new " in line]
    jobs = Counter((c.split("--arm ")[1].split()[0], "--direction haar" in c, int(c.split("--seed ")[1].split()[0]))
                   for c in train)
    assert jobs == Counter({(a, h, s): 1 for a in ("erase", "route", "routeA") for h in (False, True)
                            for s in range(3, 10)})
    calls = [c.split() for c in (tmp_path / "calls").read_text().splitlines()]
    assert [c[0] for c in calls] == ["sweep", "sweep"] + ["relearn"] * 6
    relearnt = sorted((Path(c[1]).name, Path(c[c.index("--vanilla") + 1]).name) for c in calls if c[0] == "relearn")
    assert relearnt == sorted((f"smollm2-{a}-s{s}-abc123", f"smollm2-vanilla-s{s}-abc123")
                              for a in ("erase", "routeA", "vanilla") for s in (3, 4))
    assert "a slice" in done.stdout
    (tmp_path / "calls").unlink()
    other = subprocess.run(["bash", str(script), str(out), "4"], env=dict(env, SEEDS="4", WAVES="baselines"),
                           capture_output=True, text=True)
    assert other.returncode == 0, other.stderr
    assert [c.split()[0] for c in (tmp_path / "calls").read_text().splitlines()] == ["sweep", "sweep"]
    assert {int(line.split("--seed ")[1].split()[0]) for line in other.stdout.splitlines() if " new " in line} == {4}
    for bad in (dict(SEEDS="x"), dict(SEEDS="3-"), dict(WAVES="primary,extra")):
        (tmp_path / "calls").unlink(missing_ok=True)
        refused = subprocess.run(["bash", str(script), str(out)], env=dict(env, **bad), capture_output=True, text=True)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert next(iter(bad.values())) in refused.stderr and not (tmp_path / "calls").exists()


def test_the_sweep_script_never_puts_more_runs_on_the_gpu_than_jobs_per_gpu(tmp_path):
    """JOBS_PER_GPU (default 6: a run takes about 12 GB of the card, so 6 fit an H100) is split
    between a wave's two concurrent sweeps, whose sum never exceeds it (8 split 4 + 4; 11 split
    5 + 5, not 6 + 6); a bad value is refused in one line with nothing run."""
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$@" >> {tmp_path}/calls
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_sweep.sh"
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"), FROZEN_A_LR="7e-3", SEEDS="0",
               WAVES="primary")
    for given, each in ((None, 3), ("8", 4), ("11", 5), ("1", 1)):
        (tmp_path / "calls").unlink(missing_ok=True)
        args = ["bash", str(script), str(tmp_path / "out")] + ([given] if given else [])
        assert subprocess.run(args, env=env, capture_output=True, text=True).returncode == 0
        calls = (tmp_path / "calls").read_text().splitlines()
        assert [c.split("--jobs-per-gpu ")[1].split()[0] for c in calls] == [str(each)] * 2, (given, calls)
    for bad in ("0", "x", "-2"):
        (tmp_path / "calls").unlink(missing_ok=True)
        refused = subprocess.run(["bash", str(script), str(tmp_path / "out"), bad], env=env, capture_output=True,
                                 text=True)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and f"JOBS_PER_GPU={bad}" in refused.stderr
        assert not (tmp_path / "calls").exists()


def test_the_sweep_script_s_relearns_share_the_gpu_up_to_jobs_per_gpu(tmp_path):
    """The relearn wave runs its relearns side by side, at most JOBS_PER_GPU at once (like the
    sweeps' runs: one alone leaves the GPU mostly idle), each logging beside its run; one failed
    relearn makes the script exit 1 without stopping the others."""
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
[ "$1" = relearn ] || exit 0
echo "start $(date +%s.%N)" >> {tmp_path}/events; sleep 0.5; echo "end $(date +%s.%N)" >> {tmp_path}/events
echo "step table"; echo "relearn $2 (arm) reached 0.9 after 3 step(s)"; echo "wrote $2/relearn.json"
case $2 in *routeA-s4*) echo "error: a crash"; exit 3 ;; esac
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_sweep.sh"
    out = tmp_path / "out"
    for s in (3, 4):
        for sweep_dir, arm in (("real", "erase"), ("real", "routeA"), ("baselines", "vanilla")):
            (out / sweep_dir / f"smollm2-{arm}-s{s}-abc123" / "final-adapter").mkdir(parents=True)
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"), FROZEN_A_LR="7e-3", SEEDS="3-4",
               WAVES="relearn")
    done = subprocess.run(["bash", str(script), str(out), "2"], env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # routeA s4's relearn failed; the other five ran
    events = [(line.split()[0], float(line.split()[1])) for line in (tmp_path / "events").read_text().splitlines()]
    assert sum(e == "start" for e, _ in events) == 6
    level, most = 0, 0
    for e, _ in sorted(events, key=lambda x: (x[1], x[0] == "start")):  # an end before a start at a tie
        level += 1 if e == "start" else -1
        most = max(most, level)
    assert most == 2  # side by side, never more than JOBS_PER_GPU
    assert done.stdout.count("reached 0.9") == 5 and "wrote" not in done.stdout and "step table" not in done.stdout
    assert "relearn of " + str(out / "real" / "smollm2-routeA-s4-abc123") + " failed (exit 3" in done.stdout
    assert done.stdout.rstrip().count("error: a crash") == 1
    assert (out / "real" / "smollm2-erase-s3-abc123.relearn.log").read_text().startswith("step table")


def test_the_sweep_script_under_mps_starts_its_daemon_first_and_stops_it_last(tmp_path):
    """MPS=1 (scripts/mps.sh, shared with the emergence script): the daemon starts before the first
    sweep, every pgrpo call sees its pipe folder under OUT/mps, `quit` reaches it at the end; a bad
    MPS value is refused in one line with nothing run."""
    order, bin_dir = tmp_path / "order", tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nvidia-cuda-mps-control").write_text(
        f'#!/bin/sh\nif [ "$1" = -d ]; then echo "mps -d $CUDA_MPS_PIPE_DIRECTORY" >> {order}; '
        f'else echo "mps $(cat)" >> {order}; fi\n')
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$1 ${{CUDA_MPS_PIPE_DIRECTORY:-none}}" >> {order}
if [ "$1" = results ]; then while [ $# -gt 0 ]; do [ "$1" = --out ] && o=$2; shift; done
  mkdir -p "$o" && printf '{{"power": []}}' > "$o/results.json"; fi
""")
    for f in (fake, bin_dir / "nvidia-cuda-mps-control"):
        f.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_sweep.sh"
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"), FROZEN_A_LR="7e-3", MPS="1",
               PATH=f"{bin_dir}:{os.environ['PATH']}")
    out = tmp_path / "out"
    done = subprocess.run(["bash", str(script), str(out), "4"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = order.read_text().splitlines()
    assert lines[0] == f"mps -d {out}/mps/pipe" and lines[-1] == "mps quit"
    assert [line.split()[0] for line in lines[1:-1]] == ["sweep"] * 4 + ["results", "plot"]
    assert all(line.split()[1] == f"{out}/mps/pipe" for line in lines[1:-1])
    order.unlink()
    refused = subprocess.run(["bash", str(script), str(out)], env=dict(env, MPS="on"), capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "MPS=on" in refused.stderr
    assert not order.exists()


def test_the_smollm2_routea_sweep_runs_what_the_passing_check_ran(tmp_path):
    """The routeA check passed with its first candidate (docs/organism-pretrained.md, "The sweep,
    wave 2"), so the smollm2 preset's routeA centres ablated-sampled rows on their own mean: the
    sweep's real and Haar routeA jobs (scripts/smollm2_sweep.sh's overrides) parse to exactly the
    configs the check's runs had (its overrides, the fix among them); no other arm or preset moves."""
    from projected_grpo.train.arms import ARM_NAMES

    base = ["--preset", "smollm2", "--arm", "routeA", "--seed", "0", "--out", str(tmp_path)]
    for control in ([], ["direction=haar", "direction_seed=0"]):
        in_sweep = parse_job("smollm2", "routeA", base + override_flags([f"model={tmp_path}", *control]))
        in_check = parse_job("smollm2", "routeA", base + override_flags(
            [f"model={tmp_path}", "advantage_baseline=sampling_mode", *control]))
        assert in_sweep == in_check
        assert (in_sweep.advantage_baseline, in_sweep.gen_deploy_frac) == ("sampling_mode", 0.25)
    assert all(preset("smollm2", arm).advantage_baseline == "group" for arm in ARM_NAMES if arm != "routeA")
    assert preset("full", "routeA").advantage_baseline == "group"


def test_the_routea_check_runs_real_and_haar_with_the_fix_and_applies_the_preregistered_rule(tmp_path):
    """scripts/smollm2_routea_check.sh: routeA seed 0, real and per-seed Haar, the fix as an
    override the real CLI accepts (a dry run checks it); the verdict reads steps 51-60 of both
    runs (the ablated slice's parse rate, or the students' with no_ablated, >= 0.5; token log-prob
    >= -1.0) and passes only when both runs do; an unfinished run fails it; bad input is refused
    in one line with nothing run."""
    fake = tmp_path / "pgrpo"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$@" >> {tmp_path}/calls
[ "$1" = sweep ] || exit 0
shift
{sys.executable} -m projected_grpo.cli sweep "$@" --dry-run > /dev/null || exit 2
while [ $# -gt 0 ]; do [ "$1" = --out ] && o=$2; shift; done
kind=$(basename "$o"); run="$o/smollm2-routeA-s0-x"; mkdir -p "$run"
eval "parse=\\$PARSE_$kind lp=\\$LP_$kind"
for s in $(seq 1 60); do
  echo "{{\\"step\\": $s, \\"rollout/compiles_s_ablated\\": $parse, \\"rollout/compiles_s\\": $parse, \\"policy/lp_s\\": $lp}}"
done > "$run/metrics.jsonl"
[ -n "${{UNFINISHED:-}}" ] || echo '{{}}' > "$run/summary.json"
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "smollm2_routea_check.sh"
    env = dict(os.environ, PGRPO=str(fake), MODEL=str(tmp_path / "org"),
               PARSE_real="0.8", LP_real="-0.4", PARSE_haar="0.6", LP_haar="-0.9")

    def check(fix, **over):
        (tmp_path / "calls").unlink(missing_ok=True)
        out = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        return subprocess.run(["bash", str(script), str(out), fix], env=dict(env, **over), capture_output=True, text=True)

    done = check("sampling_mode")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the fix passes" in done.stdout
    sweeps = [c for c in (tmp_path / "calls").read_text().splitlines() if c.startswith("sweep")]
    assert len(sweeps) == 2 and all("advantage_baseline=sampling_mode" in c and "--arms routeA --seeds 0" in c for c in sweeps)
    assert sum("direction=haar direction_seed={seed}" in c for c in sweeps) == 1
    assert check("sampling_mode", LP_haar="-1.2").returncode == 1  # one run's log-prob below -1.0
    failed = check("sampling_mode", PARSE_real="0.4")
    assert failed.returncode == 1 and "the fix fails" in failed.stdout
    assert check("sampling_mode", UNFINISHED="1").returncode == 1
    other = check("no_ablated")
    assert other.returncode == 0 and "rollout/compiles_s 0.800 (>= 0.5)" in other.stdout
    assert all("gen_deploy_frac=0" in c for c in (tmp_path / "calls").read_text().splitlines() if c.startswith("sweep"))
    for bad, word in ((dict(), "FIX=gate"), (dict(MODEL=""), "MODEL")):
        refused = subprocess.run(["bash", str(script), str(tmp_path / "o"), "gate" if not bad else "sampling_mode"],
                                 env=dict(env, **bad), capture_output=True, text=True)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and word in refused.stderr
