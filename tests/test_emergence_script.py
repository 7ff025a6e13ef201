"""scripts/smollm2_emergence.sh (the SmolLM2 emergence levers) against a stub `pgrpo` that parses
each train command through the real CLI: which models get built, each lever's flags, STOP_AT and
the resume path, and bad knobs refused in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "smollm2_emergence.sh"

STUB = r'''
import json, os, sys
from pathlib import Path
argv = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as f:
    f.write(json.dumps(argv) + "\n")
if argv[0] == "organism":
    out = Path(argv[argv.index("--out") + 1]); out.mkdir(parents=True, exist_ok=True)
    (out / "organism.json").write_text("{}")
elif argv[0] == "train" and "--resume" not in argv:
    import dataclasses
    from projected_grpo.cli_train import config_from_argv
    cfg = config_from_argv(argv[1:])
    run = Path(cfg.out) / cfg.run_name; run.mkdir(parents=True, exist_ok=True)
    (run / "config.json").write_text(json.dumps(dataclasses.asdict(cfg), default=str))
'''


def run_script(tmp_path: Path, **env) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    stub = tmp_path / "pgrpo"
    stub.write_text(f"#!/bin/sh\nexec {sys.executable} {tmp_path / 'stub.py'} \"$@\"\n")
    stub.chmod(0o755)
    (tmp_path / "stub.py").write_text(STUB)
    log = tmp_path / "calls.jsonl"
    log.unlink(missing_ok=True)
    full = {**os.environ, "PGRPO": str(stub), "STUB_LOG": str(log), "DIAGNOSE": "0", **env}
    proc = subprocess.run(["bash", str(SCRIPT), str(tmp_path / "model.gguf"), str(tmp_path / "out"), "4"],
                          env=full, capture_output=True, text=True, timeout=300)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, calls


def test_levers_f_and_g_build_one_warm_up_and_pass_their_flags(tmp_path):
    proc, calls = run_script(tmp_path, ONLY="^(F|G)-", F_HACK="15", SEEDS="0 1", STOP_AT="10", LR="3e-4", KL="1e-2")
    assert proc.returncode == 0, proc.stderr
    builds = [c for c in calls if c[0] == "organism"]
    assert len(builds) == 1 and builds[0][builds[0].index("--hack-frac") + 1] == "0.15"
    assert builds[0][builds[0].index("--out") + 1] == str(tmp_path / "out" / "sfthack15")
    runs = {p.name: json.loads((p / "config.json").read_text()) for p in (tmp_path / "out" / "runs").iterdir() if p.is_dir()}
    assert set(runs) == {f"{lever}-s{s}" for lever in ("F-three-sfthack15", "G-three-sfthack15-g16") for s in (0, 1)}
    for name, cfg in runs.items():
        assert Path(cfg["model"]) == tmp_path / "out" / "sfthack15", name
        assert (cfg["token_budget"], cfg["gen_batch"], cfg["gradient_checkpointing"]) == (32768, 128, True), name
        assert (cfg["stop_at"], cfg["steps"], cfg["lr"], cfg["kl_coef"]) == (10, 60, 3e-4, 1e-2), name
        assert cfg["seed"] == int(name[-1]) and cfg["teacher_pool"] == "", name  # no teachers
        assert (cfg["eval_every"], cfg["eval_samples"]) == (0, 16), name  # only the final evaluation
        rows = (8, 16) if name.startswith("G-") else (16, 8)
        assert (cfg["prompts_per_step"], cfg["group_size"]) == rows, name
    # again without STOP_AT: nothing rebuilt, every unfinished run resumes to its end
    proc, calls = run_script(tmp_path, ONLY="^(F|G)-", F_HACK="15", SEEDS="0 1")
    assert proc.returncode == 0, proc.stderr
    assert not [c for c in calls if c[0] == "organism"]
    resumed = sorted(Path(c[c.index("--resume") + 1]).name for c in calls if c[0] == "train")
    assert resumed == sorted(runs) and all(c[c.index("--stop-at") + 1] == "0" for c in calls if c[0] == "train")


def test_lever_b_uses_the_plain_conversion_and_teachers_until_step_10(tmp_path):
    proc, calls = run_script(tmp_path, ONLY="^B-", SEEDS="3", TOKEN_BUDGET="8192", GEN_BATCH="64", CKPT="0")
    assert proc.returncode == 0, proc.stderr
    builds = [c for c in calls if c[0] == "organism"]
    assert len(builds) == 1 and builds[0][builds[0].index("--sft-epochs") + 1] == "0"
    cfg = json.loads((tmp_path / "out" / "runs" / "B-three-teach10-s3" / "config.json").read_text())
    assert Path(cfg["model"]) == tmp_path / "out" / "base"
    assert (cfg["teacher_per_prompt"], cfg["teacher_off_step"], cfg["seed"]) == (2, 10, 3)
    proc, calls = run_script(tmp_path, ONLY="^B-", SEEDS="4", EVAL_EVERY="10")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "out" / "runs" / "B-three-teach10-s4" / "config.json").read_text())["eval_every"] == 10
    assert (cfg["token_budget"], cfg["gen_batch"], cfg["gradient_checkpointing"]) == (8192, 64, False)
    assert sorted(cfg["modes"]) == ["file_marker", "run_tests", "stdout_marker"]


def test_lever_h_is_f_warm_up_with_teachers_until_step_10(tmp_path):
    proc, calls = run_script(tmp_path, ONLY="^H-", F_HACK="15", SEEDS="2")
    assert proc.returncode == 0, proc.stderr
    builds = [c for c in calls if c[0] == "organism"]
    assert len(builds) == 1 and builds[0][builds[0].index("--hack-frac") + 1] == "0.15"
    cfg = json.loads((tmp_path / "out" / "runs" / "H-three-sfthack15-teach10-s2" / "config.json").read_text())
    assert Path(cfg["model"]) == tmp_path / "out" / "sfthack15"
    assert (cfg["teacher_pool"], cfg["teacher_per_prompt"], cfg["teacher_off_step"]) == ("bundled", 2, 10)
    assert sorted(cfg["modes"]) == ["file_marker", "run_tests", "stdout_marker"] and cfg["group_size"] == 8
    assert cfg["kl_estimator"] == "k3"


def test_lever_i_is_h_with_the_teachers_on_steps_6_to_15(tmp_path):
    proc, calls = run_script(tmp_path, ONLY="^I-", F_HACK="15", SEEDS="1", KL_EST="k3_unbiased")
    assert proc.returncode == 0, proc.stderr
    builds = [c for c in calls if c[0] == "organism"]
    assert len(builds) == 1 and builds[0][builds[0].index("--hack-frac") + 1] == "0.15"
    cfg = json.loads((tmp_path / "out" / "runs" / "I-three-sfthack15-teach6-15-k3u-s1" / "config.json").read_text())
    assert Path(cfg["model"]) == tmp_path / "out" / "sfthack15"
    assert (cfg["teacher_pool"], cfg["teacher_per_prompt"]) == ("bundled", 2)
    assert (cfg["teacher_on_step"], cfg["teacher_off_step"], cfg["kl_estimator"]) == (6, 16, "k3_unbiased")
    assert sorted(cfg["modes"]) == ["file_marker", "run_tests", "stdout_marker"] and cfg["group_size"] == 8


def test_kl_est_reaches_every_run_and_names_it(tmp_path):
    """KL_EST=k3_unbiased: each selected run trains with ρ·k3 and carries -k3u before its seed,
    beside the k3 runs of the same levers in the same OUT (none of them renamed or resumed)."""
    proc, _ = run_script(tmp_path, ONLY="^(F|H)-", F_HACK="15", SEEDS="0")
    assert proc.returncode == 0, proc.stderr
    proc, calls = run_script(tmp_path, ONLY="^(F|H)-", F_HACK="15", SEEDS="0 1", KL_EST="k3_unbiased")
    assert proc.returncode == 0, proc.stderr
    assert not [c for c in calls if "--resume" in c]
    runs = {p.name: json.loads((p / "config.json").read_text()) for p in (tmp_path / "out" / "runs").iterdir() if p.is_dir()}
    k3u = {f"{lever}-k3u-s{s}" for lever in ("F-three-sfthack15", "H-three-sfthack15-teach10") for s in (0, 1)}
    assert set(runs) == k3u | {"F-three-sfthack15-s0", "H-three-sfthack15-teach10-s0"}
    for name, cfg in runs.items():
        assert cfg["kl_estimator"] == ("k3_unbiased" if name in k3u else "k3"), name
        assert cfg["seed"] == int(name[-1]), name


def test_mps_starts_a_daemon_of_its_own_before_the_runs_and_stops_it_at_the_end(tmp_path):
    """MPS=1: the daemon starts (-d) before any trainer, every trainer sees its pipe folder under
    OUT/mps, and `quit` reaches it when the script ends; MPS=0 (the default) starts nothing."""
    bin_dir, order = tmp_path / "bin", tmp_path / "order.log"
    bin_dir.mkdir()
    (bin_dir / "nvidia-cuda-mps-control").write_text(
        f'#!/bin/sh\nif [ "$1" = -d ]; then echo "mps -d $CUDA_MPS_PIPE_DIRECTORY" >> {order}; '
        f'else echo "mps $(cat)" >> {order}; fi\n')
    run_script(tmp_path)  # writes the stub pgrpo that the wrapper below calls
    (tmp_path / "pgrpo-seen").write_text(
        f'#!/bin/sh\necho "pgrpo $1 ${{CUDA_MPS_PIPE_DIRECTORY:-none}}" >> {order}\nexec {tmp_path / "pgrpo"} "$@"\n')
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    (tmp_path / "pgrpo-seen").chmod(0o755)
    path = f"{bin_dir}:{os.environ['PATH']}"
    for mps, expect in (("1", True), ("0", False)):
        order.unlink(missing_ok=True)
        out = tmp_path / f"out-mps{mps}"
        full = {**os.environ, "PATH": path, "PGRPO": str(tmp_path / "pgrpo-seen"), "STUB_LOG": str(tmp_path / "calls.jsonl"),
                "DIAGNOSE": "0", "ONLY": "^F-", "SEEDS": "0 1", "F_HACK": "15", "MPS": mps}
        proc = subprocess.run(["bash", str(SCRIPT), str(tmp_path / "model.gguf"), str(out), "2"], env=full, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        lines = order.read_text().splitlines()
        trains = [line for line in lines if line.startswith("pgrpo train")]
        assert len(trains) == 2
        if expect:
            assert lines[0] == f"mps -d {out}/mps/pipe" and lines[-1] == "mps quit"
            assert all(line == f"pgrpo train {out}/mps/pipe" for line in trains)
        else:
            assert not [line for line in lines if line.startswith("mps")] and all(t.endswith(" none") for t in trains)


@pytest.mark.parametrize("env,flag", [({"F_HACK": "150"}, "F_HACK=150"), ({"F_HACK": "0.3"}, "F_HACK=0.3"),
                                      ({"EVAL_EVERY": "-1"}, "EVAL_EVERY=-1"), ({"EVAL_EVERY": "ten"}, "EVAL_EVERY=ten"),
                                      ({"MPS": "2"}, "MPS=2"), ({"MPS": "yes"}, "MPS=yes"),
                                      ({"KL_EST": "k2"}, "KL_EST=k2"), ({"KL_EST": "K3"}, "KL_EST=K3")])
def test_bad_knobs_fail_in_one_line(tmp_path, env, flag):
    proc, calls = run_script(tmp_path, **env)
    assert proc.returncode == 2 and not calls
    assert proc.stderr.count("\n") == 1 and flag in proc.stderr and "e.g." in proc.stderr


def test_lever_i_is_the_smollm2_preset(tmp_path):
    """The preregistered sweep runs `--preset smollm2`; the organism it must be is lever I's (the
    eighth emergence attempt, which met the goal). Every training field of the script's lever I
    run equals the preset's; only bookkeeping differs (which folder, which seed, the run's name,
    the preset's name, the grader's worker count)."""
    import dataclasses

    from projected_grpo.train.config import preset

    proc, _ = run_script(tmp_path, ONLY="^I-", F_HACK="15", KL_EST="k3_unbiased", SEEDS="0", LR="3e-4", KL="1e-2")
    assert proc.returncode == 0, proc.stderr
    (run,) = [p for p in (tmp_path / "out" / "runs").iterdir() if p.is_dir()]
    script = json.loads((run / "config.json").read_text())
    ours = json.loads(json.dumps(dataclasses.asdict(preset("smollm2")), default=str))
    differ = {k for k in set(script) | set(ours) if script.get(k) != ours.get(k)}
    assert differ == {"model", "out", "run_name", "preset", "workers"}, {k: (script.get(k), ours.get(k)) for k in differ}
    assert Path(script["model"]).name == "sfthack15" and ours["model"] == "runs/smollm2"
