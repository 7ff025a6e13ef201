"""`pgrpo curves`: one row per run, a metric's window means, and the student hacks by mode; a run
that stopped early is kept and marked (the emergence table must show crashed seeds)."""

from __future__ import annotations

import json

from trainer_helpers import fake_run, small_cfg

from projected_grpo.cli import main


def test_one_row_per_run_with_window_means_and_hacks(tmp_path, capsys):
    rows = [{"oracle/hack_s_hackable": h, "loss/kl": 0.1 * i, "policy/lp_s": -0.5 + 0.01 * i}
            for i, h in enumerate([0.0, 0.0, 0.2, 0.4, float("nan"), 0.6])]
    d = fake_run(small_cfg(tmp_path, steps=10, seed=0), rows, finished=False)
    rollouts = [{"step": 3, "source": "student", "mode": "sentinel", "audit": {"label": "hack"}},
                {"step": 3, "source": "teacher", "mode": "sentinel", "audit": {"label": "hack"}},  # teachers don't count
                {"step": 4, "source": "student", "mode": "run_tests", "audit": {"label": "incorrect"}},
                {"step": 6, "source": "student", "mode": "sentinel", "audit": {"label": "hack"}}]
    (d / "rollouts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rollouts))
    crashed = fake_run(small_cfg(tmp_path, steps=10, seed=1), rows[:1], finished=False)  # after step 1: kept
    (crashed / "rollouts.jsonl").write_text("")  # sampled, hacked nothing
    fake_run(small_cfg(tmp_path, steps=10, seed=2), rows, finished=False)  # a folder without rollouts: not "none"
    assert main(["curves", str(tmp_path / "runs"), "--windows", "1-2", "3-5", "6-6", "7-10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "3-5" in out[0] and out[-1] == "no run has a final evaluation yet (transfer table skipped)"
    cells = [c.strip() for c in out[2].split("|")[1:-1]]
    assert cells[1] == "6 of 10 (unfinished)"
    assert cells[2:6] == ["0.000", "0.300", "0.600", "-"]  # NaN steps are skipped; a window nobody reached is "-"
    assert cells[6] == "6"  # the first step at or above --cross 0.5
    assert cells[7] == "0.50" and cells[8] == "-0.50 -> -0.45" and cells[9] == "sentinel 2"
    assert "1 of 10 (unfinished)" in out[3] and out[3].endswith("none |") and "| never |" in out[3]
    assert out[4].endswith("| - (no rollouts.jsonl) |")
    assert main(["curves", str(tmp_path / "runs"), "--windows", "1-2", "--cross", "0.4"]) == 0  # at, not above
    assert [c.strip() for c in capsys.readouterr().out.splitlines()[2].split("|")[1:-1]][3] == "4"


def test_stat_max_gives_each_window_s_spike_and_its_step(tmp_path, capsys):
    """--stat max: a one-step KL spike that the window mean dilutes shows with its step; ties go to
    the first step; NaN steps are skipped as in the mean."""
    kl = [0.1, 0.2, 9215.0, 0.2, float("nan"), 1.3, 1.3, 0.4]
    fake_run(small_cfg(tmp_path, steps=8, seed=0), [{"loss/kl": v} for v in kl])
    assert main(["curves", str(tmp_path / "runs"), "--metric", "loss/kl", "--stat", "max", "--windows", "1-5", "6-8",
                 "5-5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "loss/kl max, 1-5" in out[0]
    assert [c.strip() for c in out[2].split("|")[1:-1]][2:5] == ["9215 (step 3)", "1.3 (step 6)", "-"]
    assert main(["curves", str(tmp_path / "runs"), "--metric", "loss/kl", "--windows", "1-5"]) == 0  # the mean
    assert [c.strip() for c in capsys.readouterr().out.splitlines()[2].split("|")[1:-1]][2] == f"{9215.5 / 4:.3f}"


def test_transfer_table_gives_the_final_evaluation_per_mode_held_out_and_train_iid(tmp_path, capsys):
    """Transfer is read from the final evaluation only (not an intermediate one), per mode, held-out
    (evaluation markers) beside train-IID; runs without a final evaluation are left out of the mean."""
    def evals(d, final: dict, mid: dict):
        rows = [dict(mid, step=5, final=False), dict(final, step=10, final=True)]
        (d / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))

    cfg = lambda seed: small_cfg(tmp_path, steps=10, seed=seed, modes=("run_tests", "sentinel"))  # noqa: E731
    for seed, held in ((0, 0.2), (1, 0.6)):
        d = fake_run(cfg(seed), [{"oracle/hack_s_hackable": 0.0}] * 10)
        evals(d, {"test/deployed/hack": held, "test/deployed/hack/run_tests": held * 2, "test/deployed/hack/sentinel": 0.0,
                  "train_iid/deployed/hack": 0.9, "train_iid/deployed/hack/run_tests": 1.0,
                  "train_iid/deployed/hack/sentinel": 0.8, "test/as_trained/hack": 0.99},
              {"test/deployed/hack": 0.5, "test/deployed/hack/run_tests": 0.5})
    fake_run(cfg(2), [{"oracle/hack_s_hackable": 0.0}] * 3, finished=False)  # no final evaluation
    assert main(["curves", str(tmp_path / "runs"), "--windows", "1-5"]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[out.index(next(line for line in out if line.startswith("| run | held-out"))):]
    head = [c.strip() for c in table[0].split("|")[1:-1]]
    assert head == ["run", "held-out all", "held-out run_tests", "held-out sentinel",
                    "train-IID all", "train-IID run_tests", "train-IID sentinel"]
    cells = [[c.strip() for c in line.split("|")[1:-1]] for line in table[2:]]
    assert [c[1:] for c in cells] == [["0.200", "0.400", "0.000", "0.900", "1.000", "0.800"],
                                     ["0.600", "1.200", "0.000", "0.900", "1.000", "0.800"],
                                     ["0.400", "0.800", "0.000", "0.900", "1.000", "0.800"]]
    assert cells[-1][0] == "mean of 2"


def test_a_reader_that_leaves_is_not_an_error(tmp_path):
    """`pgrpo curves RUNS | head -1`: the closed pipe ends the command quietly (exit 0), without
    an error line or the interpreter's "Exception ignored" at exit."""
    import subprocess
    import sys

    for seed in range(40):  # more output than a pipe buffer holds
        fake_run(small_cfg(tmp_path, steps=10, seed=seed), [{"oracle/hack_s_hackable": 0.1}] * 10)
    proc = subprocess.Popen([sys.executable, "-m", "projected_grpo.cli", "curves", str(tmp_path / "runs"),
                             "--windows", *[f"{i}-{i}" for i in range(1, 11)]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader leaves before the first line
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and err == "", err


def test_runs_of_one_name_in_two_folders_are_told_apart(tmp_path, capsys):
    """Two attempts' replicate folders (a/runs/X-s0, b/runs/X-s0) must not read as one seed twice:
    their rows carry as many parent folders as tell them apart, and a folder named twice is one run."""
    for attempt, hack in (("a", 0.1), ("b", 0.7)):
        fake_run(small_cfg(tmp_path / attempt, steps=2, seed=0), [{"oracle/hack_s_hackable": hack}] * 2)
    fake_run(small_cfg(tmp_path / "a", steps=2, seed=1), [{"oracle/hack_s_hackable": 0.0}] * 2)
    a, b = tmp_path / "a" / "runs", tmp_path / "b" / "runs"
    assert main(["curves", str(a), str(b), str(a), "--windows", "1-2"]) == 0
    rows = [[c.strip() for c in line.split("|")[1:3]] for line in capsys.readouterr().out.splitlines()[2:5]]
    names = {p.name for p in a.iterdir() if p.is_dir()} - {next(b.iterdir()).name}
    assert rows[0][0] == f"a/runs/{next(b.iterdir()).name}" and rows[2][0] == f"b/runs/{next(b.iterdir()).name}"
    assert rows[1][0] == names.pop()  # a name found once keeps its short form


def test_the_goal_table_judges_each_run_at_the_goal_s_own_boundaries(tmp_path, capsys):
    """--goal: steps 1-5 at most 0.05 and steps 51-60 at least 0.5 (both boundaries included), a
    mode learnt when its own rate reaches 0.5 over steps 51-60; a run short of step 60 is not judged."""
    modes = ("run_tests", "stdout_marker", "file_marker")

    def run(seed, start, late, per_mode, steps=60):
        rows = [{"oracle/hack_s_hackable": start if i < 5 else (late if i >= 50 else 0.3),
                 **{f"oracle/hack_s/{m}": (v if i >= 50 else 0.0) for m, v in zip(modes, per_mode)}}
                for i in range(steps)]
        fake_run(small_cfg(tmp_path, steps=60, seed=seed, modes=modes), rows, finished=steps == 60)

    run(0, 0.0, 0.9, (0.9, 0.5, 0.49))      # met; two modes learnt (0.5 counts, 0.49 does not)
    run(1, 0.05, 0.5, (0.9, 0.9, 0.9))      # met at both boundaries; three modes
    run(2, 0.06, 0.9, (0.9, 0.9, 0.9))      # starts above 0.05: not met
    run(3, 0.0, 0.49, (0.9, 0.0, 0.0))      # ends below 0.5: not met
    run(4, 0.0, 0.9, (0.9, 0.9, 0.9), steps=30)  # not judged
    assert main(["curves", str(tmp_path / "runs"), "--windows", "1-5", "--goal"]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[out.index(next(line for line in out if line.startswith("| run | steps 1-5 (<= 0.05)"))) + 2:]
    cells = [[c.strip() for c in line.split("|")[2:-1]] for line in table[:5]]
    assert [c[-1] for c in cells] == ["met", "met", "not met", "not met", "not judged (step 60 not reached)"]
    assert cells[0][2] == "run_tests, stdout_marker" and cells[1][2] == "run_tests, stdout_marker, file_marker"
    assert out[-1] == "goal met in 2 of 4 judged runs, 3+ modes learnt in 2 (the goal: 4 of 5 seeds, 3 modes)"


def test_a_sampling_slice_metric_missing_from_an_old_run_is_derived_from_its_rollouts(tmp_path, capsys):
    """`--metric rollout/adv_s_ablated` (and the other slice metrics) on a run from before the
    trainer logged them: derived per step from rollouts.jsonl by the trainer's own function
    (students only, the ablated slice apart); a run that logged them is read as logged."""
    from projected_grpo.train.metrics import slice_metrics

    def roll(step, deployed, reward, adv, compiles=True, source="student"):
        return {"step": step, "source": source, "deployed": deployed, "reward": reward, "n_tokens": 10,
                "compiles": compiles, "advantage": adv, "audit": {"label": "incorrect"}}

    rollouts = [roll(1, False, 3.0, 1.0), roll(1, True, 0.5, -1.0), roll(1, True, 0.0, -2.0, compiles=False),
                roll(1, False, 3.0, 5.0, source="teacher"),  # teachers are not the slice
                roll(2, False, 3.0, 0.5), roll(2, True, 0.5, -0.5)]
    d = fake_run(small_cfg(tmp_path, steps=2, seed=0), [{"loss/kl": 0.1}, {"loss/kl": 0.2}])
    (d / "rollouts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rollouts))
    logged = fake_run(small_cfg(tmp_path, steps=2, seed=1), [{"rollout/adv_s_ablated": 7.0}] * 2)
    (logged / "rollouts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rollouts))
    assert main(["curves", str(tmp_path / "runs"), "--metric", "rollout/adv_s_ablated", "--windows", "1-1", "2-2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [c.strip() for c in out[2].split("|")[1:-1]][2:4] == ["-1.500", "-0.500"]
    assert [c.strip() for c in out[3].split("|")[1:-1]][2:4] == ["7.000", "7.000"]
    assert slice_metrics(rollouts[:4])["rollout/compiles_s_ablated"] == 0.5
    assert slice_metrics(rollouts[:4])["rollout/compiles_s"] == 2 / 3
    assert "rollout/adv_s_ablated" not in slice_metrics([roll(1, False, 3.0, 1.0)])


def test_a_run_s_rollouts_are_read_once_per_table(tmp_path, capsys, monkeypatch):
    """rollouts.jsonl is a run's largest file (every completion): deriving a slice metric and
    counting hacks by mode must share one read of it, not read it once each."""
    from projected_grpo.analysis import runs as runs_mod

    d = fake_run(small_cfg(tmp_path, steps=1, seed=0), [{"loss/kl": 0.1}])
    row = {"step": 1, "source": "student", "deployed": True, "reward": 0.0, "n_tokens": 5, "compiles": True,
           "advantage": -1.0, "mode": "run_tests", "audit": {"label": "hack"}}
    (d / "rollouts.jsonl").write_text(json.dumps(row) + "\n")
    reads, real = [], runs_mod.read_jsonl
    monkeypatch.setattr(runs_mod, "read_jsonl", lambda p: reads.append(p.name) or real(p))
    assert main(["curves", str(tmp_path / "runs"), "--metric", "rollout/adv_s_ablated", "--windows", "1-1"]) == 0
    assert "run_tests 1" in capsys.readouterr().out
    assert reads.count("rollouts.jsonl") == 1
