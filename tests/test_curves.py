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
    fake_run(small_cfg(tmp_path, steps=10, seed=1), rows[:1], finished=False)  # crashed after step 1: kept
    assert main(["curves", str(tmp_path / "runs"), "--windows", "1-2", "3-5", "6-6", "7-10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and "3-5" in out[0]
    cells = [c.strip() for c in out[2].split("|")[1:-1]]
    assert cells[1] == "6 of 10 (unfinished)"
    assert cells[2:6] == ["0.000", "0.300", "0.600", "-"]  # NaN steps are skipped; a window nobody reached is "-"
    assert cells[6] == "0.50" and cells[7] == "-0.50 -> -0.45" and cells[8] == "sentinel 2"
    assert "1 of 10 (unfinished)" in out[3] and out[3].endswith("none |")
