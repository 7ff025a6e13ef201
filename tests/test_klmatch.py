"""`pgrpo klmatch`: the candidate whose KL to the base model over its last k steps is nearest the
reference's on a log scale (the preregistration's FROZEN_A_LR rule), finished runs only."""

from __future__ import annotations

from trainer_helpers import fake_run, small_cfg

from projected_grpo.cli import main


def _run(tmp, name, kl_late, lr, variant="frozen_a", finished=True, kl_early=9.0):
    rows = [{"loss/kl": kl_early}] * 5 + [{"loss/kl": kl_late}] * 5  # only the last 5 count
    return fake_run(small_cfg(tmp, steps=10, lr=lr, variant=variant, run_name=name), rows, finished=finished)


def test_the_nearest_drift_on_a_log_scale_over_the_last_k_steps(tmp_path, capsys):
    ref = _run(tmp_path / "ref", "lora2r", 0.4, 3e-4, variant="lora2r")
    # 0.2 is nearer on a linear scale (0.2 away against 0.35), 0.75 on a log scale (0.63 against 0.69)
    _run(tmp_path / "cal", "fa-low", 0.2, 3e-4)
    _run(tmp_path / "cal", "fa-high", 0.75, 1e-3)
    assert main(["klmatch", str(ref), str(tmp_path / "cal" / "runs")]) == 0
    out = capsys.readouterr().out
    assert "KL over the last 5 steps 0.4" in out
    assert out.strip().splitlines()[-1] == "nearest: fa-high (lr 0.001)"
    rows = [line for line in out.splitlines() if line.startswith("| fa-")]
    assert [r.split("|")[1].strip() for r in rows] == ["fa-high", "fa-low"]  # nearest first
    # over 10 steps the shared early KL dominates (4.7 against 4.6 and 4.875): the window is read as given
    assert main(["klmatch", str(ref), str(tmp_path / "cal" / "runs"), "--last-k", "10"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "nearest: fa-low (lr 0.0003)"


def test_unfinished_runs_and_bad_flags_are_refused_in_one_line(tmp_path, capsys):
    ref = _run(tmp_path / "ref", "lora2r", 0.4, 3e-4, variant="lora2r")
    unfinished = _run(tmp_path / "ref2", "cut", 0.4, 3e-4, variant="lora2r", finished=False)
    _run(tmp_path / "cal", "fa", 0.3, 1e-3)
    for args, word in (([str(unfinished), str(tmp_path / "cal" / "runs")], "unfinished"),
                       ([str(ref), str(tmp_path / "cal" / "runs"), "--last-k", "0"], "--last-k"),
                       ([str(ref), str(tmp_path / "nothing")], "no such run directory"),
                       ([str(tmp_path), str(tmp_path / "cal" / "runs")], "not a run directory")):
        assert main(["klmatch", *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and word in err, err
