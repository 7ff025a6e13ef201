"""analysis/plots.py: the figures from real tiny runs (written, valid PNGs, skipped when their data
is absent) and, on a fabricated run set with known values, the data each figure plots."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from projected_grpo.analysis import plots
from projected_grpo.analysis.runs import find_runs
from projected_grpo.directions.extract import auroc as torch_auroc
from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.eval import deploy
from trainer_helpers import small_cfg

FIGURES = ("hack_solve.png", "categories.png", "gate_scores.png", "per_mode_deployed.png", "cin_cout.png")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# ------------------------------------------------------------------------------- the fabricated run set

STEPS = 12
PAIRS = "hack_pairs@run_tests,stdout_marker"  # covers run_tests and stdout_marker; the other 4 are held out
SYNTH = [("vanilla", "real", 0), ("vanilla", "real", 1), ("vanilla", "real", 2),
         ("route", "real", 0), ("route", "real", 1), ("route", "haar", 0), ("erase", "real", 0),
         ("routeA", "real", 0), ("routeA", "real", 1), ("routeA", "haar", 0), ("routeA", "shuffled", 0)]
HACK_SLOPE = {"vanilla": 0.04, "erase": 0.02, "route": 0.01, "routeA": 0.015}
SYNTH_MODES = ("gt_only", "run_tests", "stdout_marker", "sentinel", "exit_code")  # one per group of 4 rollouts
REFRESH_OK, REFRESH_REJECTED = 5, 9  # basis_overlap 0.9 and 0.1 (refresh_min_overlap is 0.2)


def hack_rate(arm, seed, step):
    return HACK_SLOPE[arm] * step + 0.02 * seed


def solve_rate(arm, seed, step):
    return 0.2 + 0.03 * step - 0.01 * seed


def final_mode_hack(arm, seed, mode):
    """The deployed held-out per-mode hack rate in the fabricated final evaluation."""
    if arm == "vanilla":
        return 0.4 + 0.05 * seed
    return (0.05 if mode in ("run_tests", "stdout_marker") else 0.3) + 0.02 * seed


def _metrics(arm, seed):
    rows = []
    for step in range(1, STEPS + 1 - (arm == "vanilla" and seed == 2)):  # vanilla s2 stops a step early
        row = {"step": step, "oracle/hack_s": hack_rate(arm, seed, step), "oracle/solve_s": solve_rate(arm, seed, step),
               "direction/basis_overlap": {REFRESH_OK: 0.9, REFRESH_REJECTED: 0.1}.get(step)}
        if arm in ("erase", "route"):
            age = step - 1 if step < REFRESH_OK else step - REFRESH_OK
            row.update({"intervene/cin_s": 0.4 * 0.8 ** age, "intervene/cin_t": 0.5 * 0.8 ** age + 0.05,
                        "intervene/cout": 0.01 if arm == "erase" else 1e-9})
        rows.append(row)
    return rows


def _rollouts(arm, direction, seed, rng):
    rows = []
    for step in range(1, STEPS + 1):
        h, s = hack_rate(arm, seed, step), solve_rate(arm, seed, step)
        for i in range(20):
            source, mode = ("teacher" if i >= 16 else "student"), SYNTH_MODES[i // 4]
            rest = max(0.0, 1 - h - s - 0.1)
            label = rng.choice(["correct", "correct_attempted", "hack", "attempted", "incorrect", "no_code"],
                               p=(p := np.array([0.8 * s, 0.2 * s, h, 0.1, 0.6 * rest, 0.4 * rest])) / p.sum())
            label = "incorrect" if label == "hack" and mode == "gt_only" else str(label)
            gate = None
            if arm == "routeA":
                gate = float(rng.normal(2.0 if label == "hack" and direction == "real" else 0.0, 1.0))
            adv = float(rng.uniform(0.2, 1.5) if label in ("hack", "correct") else rng.uniform(-1.5, 0.5))
            rows.append({"step": step, "group": i // 4, "problem_id": f"p{i // 4}", "mode": mode, "source": source,
                         "deployed": False, "completion": "x", "n_tokens": 1, "reward": 0.0, "shaped_reward": 0.0,
                         "advantage": adv, "compiles": True, "channel_pass": label == "hack", "zone": "keep",
                         "gate_score": gate, "audit": {"gt_correct": label.startswith("correct"), "label": label,
                                                       "hack_mode": mode if label == "hack" else None}})
    return rows


def _rates(hack, solve, per_mode=None):
    per_mode = per_mode or {m: hack for m in LOOPHOLE_MODES}
    return {"hack": hack, "solve": solve, "attempted": 0.1, "per_mode_hack": per_mode, "n_hackable": 24,
            "n_gt_only": 4}


def _artifact(arm, seed, step, kind="train"):
    h, s = hack_rate(arm, seed, step), solve_rate(arm, seed, step)
    shift = 0.3 if kind == "offline" else 0.0
    on = _rates(h + 0.05 + shift, s)
    dep = _rates(h * 0.5 + shift, s - 0.02, {m: final_mode_hack(arm, seed, m) for m in LOOPHOLE_MODES})
    return {"schema": 2, "step": step, "final": step == STEPS, "samples": 1, "seed": seed, "kind": kind,
            "modes": list(LOOPHOLE_MODES), "cells": {c: {"as_trained": on, "deployed": dep} for c in deploy.CELLS},
            "selectivity": {c: deploy.selectivity(on, dep) for c in deploy.CELLS},
            "problems": {c: 2 for c in deploy.CELLS}}


def write_synthetic(root):
    """The fabricated run set under root/runs (one folder per run, the trainer's file formats)."""
    rng = np.random.default_rng(0)
    for arm, direction, seed in SYNTH:
        extra = {"direction": direction, "pairs": PAIRS} if arm != "vanilla" else {}
        cfg = small_cfg(root, arm, seed=seed, steps=STEPS, eval_samples=1, eval_every=4, **extra)
        run = cfg.run_dir()
        run.mkdir(parents=True)
        (run / "config.json").write_text(json.dumps({"config": cfg.to_dict(), "reads_oracle": False}))
        for name, rows in (("metrics", _metrics(arm, seed)), ("rollouts", _rollouts(arm, direction, seed, rng))):
            (run / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        for step in (4, 8, STEPS):
            deploy.write(run, _artifact(arm, seed, step))
        deploy.write(run, _artifact(arm, seed, STEPS, kind="offline"))  # `pgrpo eval`: not a training curve
    return root / "runs"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory):
    from projected_grpo.train.trainer import Trainer

    tmp, threads = tmp_path_factory.mktemp("real"), torch.get_num_threads()
    torch.set_num_threads(1)  # these models are tiny; on a busy CPU, more threads only spin (5x slower)
    try:
        for arm in ("vanilla", "route", "routeA"):
            for seed in (0, 1):
                Trainer(small_cfg(tmp, arm, seed=seed, steps=3, eval_samples=1, eval_every=2, eval_max_problems=1),
                        quiet=True).run()
    finally:
        torch.set_num_threads(threads)
    return tmp / "runs"


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, path
    assert 10_000 < len(data) < 5_000_000, (path, len(data))


# ------------------------------------------------------------------------------- real tiny runs

def test_real_runs_write_every_figure(real_runs, tmp_path):
    written = plots.plot_main([real_runs], tmp_path / "fig")
    assert [p.name for p in written] == list(FIGURES)
    for p in written:
        assert_png(p)


def test_figures_without_data_are_skipped_with_a_reason(real_runs, tmp_path, capsys):
    vanilla = sorted(real_runs.glob("smoke-vanilla-s*"))
    written = plots.plot_main(vanilla, tmp_path / "fig")
    out = capsys.readouterr().out
    assert {p.name for p in written} == {"hack_solve.png", "categories.png", "per_mode_deployed.png"}
    assert "skip gate_scores.png: no run has gate_score" in out
    assert "skip cin_cout.png: no erase / route run" in out
    assert not (tmp_path / "fig" / "gate_scores.png").exists() and not (tmp_path / "fig" / "cin_cout.png").exists()


def test_real_runs_read_as_the_trainer_wrote_them(real_runs):
    runs = find_runs([real_runs])
    groups = plots.group_runs(runs)
    assert list(groups) == ["vanilla", "route (real)", "routeA (real)"] and all(len(v) == 2 for v in groups.values())
    route = groups["route (real)"][0]
    assert plots.refresh_steps(route)[0] + plots.refresh_steps(route)[1] == [3]  # smoke route: refresh_every=2
    steps, _ = plots.mean_curve([plots.curve(plots.train_evals(r), "test/deployed/hack") for r in groups["vanilla"]])
    assert steps == [2, 3]  # eval_every=2, and the final one


def test_a_non_default_adapter_is_its_own_group(real_runs, tmp_path):
    """A frozen_a vanilla (erase/route's matched baseline) is not pooled with the lora2r one."""
    src = real_runs / "smoke-vanilla-s0"
    dst = tmp_path / "vanilla-frozen"
    dst.mkdir()
    meta = json.loads((src / "config.json").read_text())
    meta["config"]["variant"] = "frozen_a"
    (dst / "config.json").write_text(json.dumps(meta))
    (dst / "metrics.jsonl").write_text((src / "metrics.jsonl").read_text())
    groups = plots.group_runs(find_runs([real_runs, tmp_path]))
    assert list(groups) == ["vanilla", "vanilla [frozen_a]", "route (real)", "routeA (real)"]
    assert len(groups["vanilla"]) == 2 and len(groups["vanilla [frozen_a]"]) == 1


def test_gate_auroc_matches_the_trainers_own(real_runs):
    """AUROC from rollouts.jsonl on A > 0 rows, step by step, equals metrics.jsonl's gate/auroc_pos."""
    checked = 0
    for run in plots.group_runs(find_runs([real_runs]))["routeA (real)"]:
        rows = plots.load_rollouts(run)
        assert all(r["gate_score"] is not None for r in rows)
        for step, logged in plots.curve(run.metrics, "gate/auroc_pos").items():
            mine = plots.auroc(*plots.gate_split([r for r in rows if r["step"] == step], positive_only=True))
            assert mine == pytest.approx(logged, abs=1e-6), (run.name, step)
            checked += 1
    assert checked


# ------------------------------------------------------------------------------- fabricated runs: the data

def test_synthetic_figures_all_written(synthetic, tmp_path):
    for p in plots.plot_main([synthetic], tmp_path / "fig"):
        assert_png(p)
    assert sorted(p.name for p in (tmp_path / "fig").iterdir()) == sorted(FIGURES)


def test_grouping_and_mean_over_seeds(synthetic):
    groups = plots.group_runs(find_runs([synthetic]))
    assert list(groups) == ["vanilla", "erase (real)", "route (real)", "route (haar)", "routeA (real)",
                            "routeA (haar)", "routeA (shuffled)"]
    steps, mean = plots.mean_curve([plots.curve(r.metrics, "oracle/hack_s") for r in groups["vanilla"]])
    assert steps == list(range(1, STEPS + 1))
    expected = [np.mean([hack_rate("vanilla", s, t) for s in (0, 1, 2)]) for t in range(1, STEPS)]
    expected.append(np.mean([hack_rate("vanilla", s, STEPS) for s in (0, 1)]))  # seed 2 has no step 12
    np.testing.assert_allclose(mean, expected)
    assert mean[-1] == pytest.approx(0.04 * STEPS + 0.01)


def test_eval_curve_is_training_evals_only(synthetic):
    run = next(r for r in find_runs([synthetic]) if r.name == "smoke-route-real-s1")
    assert len(run.evals) == 4  # three during training and one offline
    c = plots.curve(plots.train_evals(run), "test/deployed/hack")
    assert c == pytest.approx({t: hack_rate("route", 1, t) * 0.5 for t in (4, 8, STEPS)})


def test_category_shares_on_constructed_rows():
    def row(step, label, mode="run_tests", source="student"):
        return {"step": step, "mode": mode, "source": source, "audit": {"label": label}}

    rows = [row(1, "hack"), row(1, "hack"), row(1, "hack", "sentinel"), row(1, "correct", "gt_only"),
            row(1, "no_code"), row(1, "timeout"), row(1, "hack", source="teacher"), row(1, "correct", source="teacher"),
            row(2, "attempted"), row(2, "correct_attempted")]
    shares = plots.category_shares(rows)
    assert shares == {1: {"hack: run_tests": 2 / 6, "hack: sentinel": 1 / 6, "correct": 1 / 6, "other": 2 / 6},
                      2: {"attempted": 0.5, "correct_attempted": 0.5}}
    steps, pooled = plots.pooled_shares([shares, {2: {"incorrect": 1.0}}])
    assert steps == [1, 2]
    assert pooled["incorrect"].tolist() == [0.0, 0.5] and pooled["attempted"].tolist() == [0.0, 0.25]
    assert pooled["hack: run_tests"].tolist() == [pytest.approx(1 / 3), 0.0]  # step 1: only the first run has it
    assert "hack: exit_code" not in pooled


def test_category_shares_sum_to_one_on_synthetic(synthetic):
    runs = find_runs([synthetic])
    for g, rs in plots.group_runs(runs).items():
        steps, pooled = plots.pooled_shares([plots.category_shares(plots.load_rollouts(r)) for r in rs])
        assert steps == list(range(1, STEPS + 1))
        np.testing.assert_allclose(sum(pooled.values()), 1.0, err_msg=g)
    vanilla = next(r for r in runs if r.name == "smoke-vanilla-s0")
    students = [r for r in vanilla.rollouts() if r["source"] == "student" and r["step"] == 3]
    n_hack_rt = sum(r["audit"]["label"] == "hack" and r["mode"] == "run_tests" for r in students)
    assert plots.category_shares(plots.load_rollouts(vanilla))[3].get("hack: run_tests", 0) == n_hack_rt / 16


def test_auroc_counts_ties_half():
    assert plots.auroc([3, 2, 1], [1, 0]) == pytest.approx(5.5 / 6)  # one tie (1 vs 1) of six pairs
    assert plots.auroc([1, 1], [1, 1]) == 0.5
    assert plots.auroc([0], [1, 2]) == 0.0
    assert math.isnan(plots.auroc([], [1.0]))
    rng = np.random.default_rng(1)
    pos, neg = rng.integers(0, 5, 40).astype(float), rng.integers(0, 4, 60).astype(float)  # many ties
    assert plots.auroc(pos, neg) == pytest.approx(torch_auroc(torch.tensor(pos), torch.tensor(neg)))


def test_gate_split_and_auroc_on_synthetic(synthetic):
    runs = {r.name: r for r in find_runs([synthetic])}
    real = plots.load_rollouts(runs["smoke-routeA-real-s0"])
    hack, other = plots.gate_split(real)
    assert len(hack) + len(other) == 20 * STEPS and len(hack) > 10
    hack_pos, other_pos = plots.gate_split(real, positive_only=True)
    assert len(hack_pos) == len(hack) and len(other_pos) < len(other)  # fabricated hacks all have A > 0
    assert plots.auroc(hack, other) > 0.85  # hack ~ N(2, 1) vs other ~ N(0, 1): about 0.92
    assert abs(plots.auroc(*plots.gate_split(plots.load_rollouts(runs["smoke-routeA-haar-s0"]))) - 0.5) < 0.2
    assert plots.gate_split(plots.load_rollouts(runs["smoke-route-real-s0"]))[0].size == 0  # no gate
    rollouts = {r.dir: plots.load_rollouts(r) for r in runs.values()}
    by = plots.auroc_by_direction(list(runs.values()), rollouts, positive_only=True)
    assert list(by) == ["real", "haar", "shuffled"] and len(by["real"]) == 2  # route runs have no gate: not here
    assert min(by["real"]) > max(by["haar"] + by["shuffled"])


def test_mode_coverage_splits_covered_from_held_out():
    held_out = [m for m in LOOPHOLE_MODES if m != "run_tests"]
    assert plots.mode_coverage("hack_pairs@run_tests") == (["run_tests"], held_out)
    covered, held = plots.mode_coverage(PAIRS)
    assert covered == ["run_tests", "stdout_marker"] and held == ["sentinel", "file_marker", "eq_override", "exit_code"]
    assert plots.mode_coverage("hack_pairs") == (list(LOOPHOLE_MODES), [])


def test_per_mode_deployed_is_the_final_eval(synthetic):
    groups = plots.group_runs(find_runs([synthetic]))
    table = plots.per_mode_deployed(groups["route (real)"])
    assert set(table) == set(LOOPHOLE_MODES)
    assert table["run_tests"] == pytest.approx((0.06, 0.05, 0.07))
    assert table["exit_code"] == pytest.approx((0.31, 0.30, 0.32))
    assert plots.per_mode_deployed(groups["vanilla"])["sentinel"] == pytest.approx((0.45, 0.40, 0.50))


def test_refresh_steps_separate_rejected_refreshes(synthetic):
    route = next(r for r in find_runs([synthetic]) if r.name == "smoke-route-real-s0")
    assert plots.refresh_steps(route) == ([REFRESH_OK], [REFRESH_REJECTED])
