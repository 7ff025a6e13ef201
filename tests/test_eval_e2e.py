"""From a sweep to a results table and plots, and the offline `pgrpo eval`, on tiny CPU runs."""

from __future__ import annotations

import json

from projected_grpo.analysis.plots import plot_main
from projected_grpo.analysis.sweep import sweep_main
from projected_grpo.cli import main
from projected_grpo.train.runlog import read_jsonl
from test_sweep import tiny_overrides


def test_sweep_then_results_then_plots_then_offline_eval(tmp_path, capsys):
    out = tmp_path / "sweep"
    overrides = tiny_overrides(tmp_path)
    assert sweep_main(("vanilla", "route"), (0, 1), "smoke", overrides, out) == 0
    text = capsys.readouterr().out
    assert "| vanilla | 2/2 |" in text and "| route/real | 2/2 |" in text and "Paired differences vs vanilla" in text
    table = (out / "results" / "results.md").read_text()
    assert "±" in table and "route/real − vanilla | 2" in table  # two matched seeds
    report = json.loads((out / "results" / "results.json").read_text())
    assert report  # every per-run value is kept
    pngs = plot_main([out], tmp_path / "plots")
    names = {p.name for p in pngs}
    assert {"hack_solve.png", "categories.png", "per_mode_deployed.png", "cin_cout.png"} <= names
    assert all(p.stat().st_size > 10_000 for p in pngs)
    run = next(d for d in out.iterdir() if d.is_dir() and d.name.startswith("smoke-route-s0"))
    assert main(["eval", str(run), "--samples-per-problem", "1", "--max-problems", "1"]) == 0
    art = json.loads(next((run / "eval").glob("offline-step-*.json")).read_text())
    assert set(art["cells"]) == {"train_iid", "test"} and art["kind"] == "offline"
    assert set(art["cells"]["test"]) == {"as_trained", "deployed"} and "same_as" not in art["cells"]["test"]["deployed"]
    kinds = [r["kind"] for r in read_jsonl(run / "eval.jsonl")]
    assert kinds[-1] == "offline" and "train" in kinds  # the run's own final evaluation is kept
    assert all(r["time/eval"] > 0 for r in read_jsonl(run / "eval.jsonl"))  # where a run's wall time goes
    # the parse rate beside hack and solve (the random model writes no code: 0, measured, not missing)
    assert all(0.0 <= r["test/deployed/parses"] <= 1.0 for r in read_jsonl(run / "eval.jsonl"))
    assert main(["eval", str(tmp_path)]) == 2  # not a run directory
