"""`pgrpo results`: the statistics (t quantiles and CDF, intervals, paired test, bands) on known
values, and the report on real tiny runs plus run directories cloned from them with constructed
metrics and evaluation artifacts (schema of eval/deploy.py)."""

from __future__ import annotations

import csv
import json
import math
import random
import shutil

import numpy as np
import pytest

from projected_grpo.analysis import results
from projected_grpo.analysis.results import results_main
from projected_grpo.analysis.runs import find_runs
from projected_grpo.analysis.stats import betainc, mean_ci, paired_t, quantile, t_cdf, t_ppf
from projected_grpo.errors import UserError
from projected_grpo.eval import deploy
from projected_grpo.train.trainer import Trainer
from projected_grpo.util import band as control_band
from projected_grpo.util import percentile_of
from trainer_helpers import small_cfg

# -- statistics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("df,q", [(1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042)])
def test_t_quantile_matches_tables(df, q):
    assert t_ppf(0.975, df) == pytest.approx(q, abs=1e-3)
    assert t_ppf(0.025, df) == pytest.approx(-q, abs=1e-3)


def test_t_quantile_far_tail_and_normal_limit():
    assert t_ppf(0.9995, 1) == pytest.approx(636.619, abs=1e-2)  # needs the bracket to grow
    assert t_ppf(0.975, 1e6) == pytest.approx(1.95996, abs=1e-4)


@pytest.mark.parametrize("t", [-7.0, -1.0, -0.3, 0.0, 0.5, 1.0, 3.4641016, 25.0])
def test_t_cdf_against_closed_forms(t):
    assert t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-10)  # Cauchy
    assert t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-10)
    assert t_cdf(t, 7) + t_cdf(-t, 7) == pytest.approx(1.0, abs=1e-12)


def test_t_cdf_inverts_t_ppf_and_betainc_matches_binomial_sums():
    for df in (1, 3, 9, 50):
        for p in (0.6, 0.9, 0.99):
            assert t_cdf(t_ppf(p, df), df) == pytest.approx(p, abs=1e-9)
    # I_x(a, n-a+1) = P(Binomial(n, x) >= a)
    for a, n, x in ((2, 4, 0.4), (5, 9, 0.7), (1, 3, 0.05)):
        tail = sum(math.comb(n, j) * x ** j * (1 - x) ** (n - j) for j in range(a, n + 1))
        assert betainc(a, n - a + 1, x) == pytest.approx(tail, abs=1e-12)


def test_mean_ci():
    s = mean_ci([1.0, 2.0, 3.0])
    assert (s.n, s.mean) == (3, 2.0)
    assert s.half == pytest.approx(4.303 / math.sqrt(3), abs=1e-3)  # ±2.484
    assert s.ci_low == pytest.approx(2 - 2.4841, abs=1e-3)
    one = mean_ci([0.4])
    assert (one.n, one.mean, one.ci_low, one.half) == (1, 0.4, None, None)
    assert mean_ci([]).mean is None


def test_paired_t():
    p = paired_t([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])
    assert (p.n, p.mean) == (3, 2.0)
    assert p.t == pytest.approx(3.4641, abs=1e-4)
    assert p.p == pytest.approx(1 - 3.4641016 / math.sqrt(2 + 12), abs=1e-6)  # df=2: 0.0742
    assert p.p == pytest.approx(0.0742, abs=1e-4)
    assert p.ci_high - p.mean == pytest.approx(2.4841, abs=1e-3)
    q = paired_t([0.3, 0.1, 0.5, 0.2], [0.1, 0.3, 0.1, 0.0])  # d = .2 -.2 .4 .2: mean .15, sd .2517
    assert q.t == pytest.approx(0.15 / (math.sqrt(0.19 / 3) / 2))
    th = math.atan(q.t / math.sqrt(3))  # df=3: F(t) = 1/2 + (θ + sinθ cosθ)/π
    assert q.p == pytest.approx(2 * (0.5 - (th + math.sin(th) * math.cos(th)) / math.pi), abs=1e-9)
    assert paired_t([1.0, 2.0], [0.0, 1.0]).p is None  # constant differences: t undefined
    assert paired_t([1.0], [0.0]).ci_low is None
    with pytest.raises(ValueError):
        paired_t([1.0, 2.0], [1.0])


def test_percentile_and_quantile():
    band = [float(i) for i in range(1, 21)]
    assert percentile_of(2.5, band) == 10.0
    assert percentile_of(0.0, band) == 0.0 and percentile_of(99.0, band) == 100.0
    assert percentile_of(3.0, band) == 12.5  # mid-rank: 2 below, 1 tied
    assert percentile_of(1.0, [1.0] * 5) == 50.0
    # the gate batteries' and extract's bands place the real value by the same rule as results
    assert control_band([3.0, 1.0, 2.0, 3.0, None], 3.0)["real_percentile"] == percentile_of(3.0, [1.0, 2.0, 3.0, 3.0]) == 75.0
    rng = random.Random(0)
    xs = [rng.random() for _ in range(17)]
    for q in (0.0, 0.05, 0.5, 0.95, 1.0):
        assert quantile(xs, q) == pytest.approx(float(np.quantile(xs, q)), abs=1e-12)


# -- run directories ----------------------------------------------------------------------------


def artifact(step: int, hack: float, solve: float, hack_on: float | None = None, solve_on: float | None = None):
    """A schema-2 evaluation artifact (eval/deploy.py) with the test cell's rates given."""
    def rates(h, s):
        return {"hack": h, "solve": s, "attempted": 0.0, "per_mode_hack": {"run_tests": h},
                "n_hackable": 12, "n_gt_only": 3}
    dep = rates(hack, solve)
    on = rates(hack if hack_on is None else hack_on, solve if solve_on is None else solve_on)
    train = rates(0.25, 0.5)
    return {"schema": deploy.SCHEMA, "step": step, "final": True, "samples": 1, "seed": 0, "modes": ["run_tests"],
            "cells": {"train_iid": {"as_trained": train, "deployed": dict(train, same_as="as_trained")},
                      "test": {"as_trained": on, "deployed": dep}},
            "selectivity": {"train_iid": deploy.selectivity(train, train), "test": deploy.selectivity(on, dep)},
            "problems": {"train_iid": 3, "test": 3}}


def put_eval(run_dir, art):
    (run_dir / "eval").mkdir(exist_ok=True)
    (run_dir / "eval" / f"step-{art['step']:06d}.json").write_text(json.dumps(art))


def clone(src, dst, *, metrics: list[dict], finished=True, reads_oracle=None, art=None, **cfg):
    """A run directory with src's config.json (fields overridden) and the given metrics rows."""
    meta = json.loads((src / "config.json").read_text())
    meta["config"].update(cfg, run_name=dst.name)
    if reads_oracle is not None:
        meta["reads_oracle"] = reads_oracle
    dst.mkdir(parents=True)
    (dst / "config.json").write_text(json.dumps(meta))
    (dst / "metrics.jsonl").write_text("".join(json.dumps(dict(r, step=i + 1)) + "\n" for i, r in enumerate(metrics)))
    if finished:
        (dst / "summary.json").write_text("{}")
    if art is not None:
        put_eval(dst, art)
    return dst


def rows(*hack_s, **const):
    return [dict({"oracle/hack_s": h, "oracle/hacked_step": 0.0}, **const) for h in hack_s]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Real tiny runs: vanilla seeds 0 and 1, erase seed 0 (2 steps each), with constructed final
    evaluations written into them."""
    tmp = tmp_path_factory.mktemp("results")
    for arm, seed in (("vanilla", 0), ("vanilla", 1), ("erase", 0)):
        extra = dict(refresh_every=0, project_update=False) if arm == "erase" else {}
        Trainer(small_cfg(tmp, arm, steps=2, seed=seed, run_name=f"{arm}-s{seed}", **extra), quiet=True).run()
    root = tmp / "runs"
    put_eval(root / "vanilla-s0", artifact(2, hack=0.5, solve=0.25))
    put_eval(root / "vanilla-s1", artifact(2, hack=0.7, solve=0.5))
    put_eval(root / "erase-s0", artifact(2, hack=0.2, solve=0.25, hack_on=0.4))
    return root


def report(paths, by=("arm",), last_k=5):
    return results.build_report(find_runs(paths), by, last_k)


def group(rep, label):
    return next(g for g in rep["groups"] if g["label"] == label)


def test_real_runs_end_to_end(real, tmp_path, capsys):
    out = tmp_path / "res"
    assert results_main([real], out=out) == 0
    md = capsys.readouterr().out
    assert md == (out / "results.md").read_text()
    assert "| vanilla | 2/2 |" in md and "| erase/real | 1/1 |" in md
    assert "0.600 ± 1.271" in md  # vanilla test hack: mean of .5, .7 ± 12.706 * 0.1
    rep = json.loads((out / "results.json").read_text())
    van = group(rep, "vanilla")
    hack_s = [json.loads(x)["oracle/hack_s"] for x in (real / "vanilla-s1" / "metrics.jsonl").read_text().splitlines()]
    v1 = van["metrics"]["oracle/hack_s"]["values"][1]
    assert (v1["run"], v1["seed"], v1["value"]) == ("vanilla-s1", 1, pytest.approx(np.mean(hack_s)))
    assert van["metrics"]["test/selectivity"]["mean"] == 0.0  # as_trained == deployed
    era = group(rep, "erase/real")["metrics"]
    assert era["test/selectivity"]["mean"] == pytest.approx(0.5)  # (0.4 - 0.2) / 0.4 - 0
    assert era["test/as_trained/hack"]["mean"] == 0.4 and era["train_iid/deployed/solve"]["mean"] == 0.5
    [p] = rep["paired_vs_vanilla"]
    assert p["seeds"] == [0]  # seed 1 has no erase run
    d = p["metrics"]["test/deployed/hack"]
    assert d["n_pairs"] == 1 and d["mean"] == pytest.approx(0.2 - 0.5) and d["p"] is None
    with open(out / "results.csv") as f:
        table = list(csv.DictReader(f))
    assert len([r for r in table if r["section"] == "group"]) == 2 * len(results.METRICS)
    row = next(r for r in table if r["group"] == "vanilla" and r["metric"] == "test/deployed/hack")
    assert float(row["ci_low"]) == pytest.approx(0.6 - 12.7062 * 0.1, abs=1e-4) and row["n"] == "2"


@pytest.fixture(scope="module")
def synth(real, tmp_path_factory):
    """Cloned runs with constructed values: vanilla and erase seeds 0-2 (+ an erase seed 5)."""
    root = tmp_path_factory.mktemp("synth")
    van, era = real / "vanilla-s0", real / "erase-s0"
    for s, (h, r) in enumerate(((0.5, 1.0), (0.6, 2.0), (0.7, 3.0))):
        # last_k=2 must skip the first row (0.9) and the null
        clone(van, root / f"v{s}", seed=s, metrics=rows(0.9, None, h, **{"rollout/reward_s": r}),
              art=artifact(2, hack=h, solve=0.5))
        clone(era, root / f"e{s}", seed=s, metrics=rows(0.0, 0.4, 0.4), art=artifact(2, hack=0.4, solve=0.5))
    clone(era, root / "e5", seed=5, metrics=rows(9.0, 9.0), art=artifact(2, hack=0.9, solve=0.5))
    return root


def test_group_means_cis_and_last_k(synth):
    rep = report([synth], last_k=2)
    van = group(rep, "vanilla")["metrics"]
    assert van["oracle/hack_s"]["mean"] == pytest.approx(0.6)
    assert van["oracle/hack_s"]["ci_high"] - 0.6 == pytest.approx(4.303 * 0.1 / math.sqrt(3), abs=1e-3)
    assert van["rollout/reward_s"]["mean"] == 2.0
    assert van["rollout/reward_s"]["ci_low"] == pytest.approx(2 - 2.4841, abs=1e-3)
    assert group(rep, "erase/real")["metrics"]["oracle/hack_s"]["n"] == 4  # seed 5 counts here


def test_paired_uses_matched_seeds_only(synth):
    [p] = report([synth], last_k=2)["paired_vs_vanilla"]
    assert (p["group"], p["reference"], p["seeds"]) == ("erase/real", "vanilla", [0, 1, 2])
    d = p["metrics"]["oracle/hack_s"]  # erase 0.4 - vanilla (.5, .6, .7): seed 5's 9.0 is out
    assert d["n_pairs"] == 3 and d["mean"] == pytest.approx(-0.2)
    assert d["t"] == pytest.approx(-3.4641, abs=1e-4) and d["p"] == pytest.approx(0.0742, abs=1e-4)
    assert d["ci_low"] == pytest.approx(-0.2 - 0.24841, abs=1e-4)
    e = p["metrics"]["test/deployed/hack"]
    assert e["mean"] == pytest.approx(-0.2) and e["seeds"] == [0, 1, 2]


def test_differing_configs_are_not_pooled(real, tmp_path, capsys):
    van = real / "vanilla-s0"
    clone(van, tmp_path / "a0", seed=0, lr=1e-3, metrics=rows(0.1))
    clone(van, tmp_path / "a1", seed=1, lr=1e-3, metrics=rows(0.3))
    clone(van, tmp_path / "b0", seed=0, lr=1e-4, metrics=rows(0.8))
    results_main([tmp_path])
    md = capsys.readouterr().out
    assert "differing fields within vanilla: lr: 0.0001 vs 0.001" in md
    assert "fields that differ between groups besides arm: lr: 0.0001 vs 0.001" in md
    rep = report([tmp_path])
    assert [(g["label"], g["n_runs"]) for g in rep["groups"]] == [("vanilla (lr=0.0001)", 1), ("vanilla (lr=0.001)", 2)]
    assert group(rep, "vanilla (lr=0.001)")["metrics"]["oracle/hack_s"]["mean"] == pytest.approx(0.2)
    assert rep["paired_vs_vanilla"] == []  # vanilla against vanilla is no comparison
    # a split vanilla: each other arm is compared with the vanilla of its own lr only
    clone(real / "erase-s0", tmp_path / "e0", seed=0, lr=1e-4, metrics=rows(0.5))
    clone(real / "erase-s0", tmp_path / "e1", seed=0, lr=0.5, direction="haar", metrics=rows(0.5))
    rep = report([tmp_path])
    [p] = rep["paired_vs_vanilla"]
    assert (p["group"], p["reference"]) == ("erase/real", "vanilla (lr=0.0001)")
    assert p["config_diff"] == {"variant": ["frozen_a", "lora2r"]}  # auto gave each arm its adapter
    assert p["metrics"]["oracle/hack_s"]["mean"] == pytest.approx(0.5 - 0.8)
    assert "erase/haar: no vanilla group of matching configuration: no paired differences" in rep["notes"]
    # the real vanilla and erase runs differ in arm and, through variant=auto, in their adapter
    assert report([real])["between_groups"] == {"variant": ["frozen_a", "lora2r"]}


def test_auto_variant_is_resolved_and_arms_pair_with_their_own_adapter(real, tmp_path, capsys):
    """variant=auto gives vanilla lora2r and erase frozen_a: the report names the difference,
    and with a frozen_a vanilla present erase is paired with that one."""
    assert json.loads((real / "erase-s0" / "config.json").read_text())["config"]["variant"] == "auto"
    results_main([real])
    assert "fields that differ between groups besides arm: variant: frozen_a vs lora2r" in capsys.readouterr().out
    clone(real / "vanilla-s0", tmp_path / "v-lora", seed=0, metrics=rows(0.6))
    clone(real / "vanilla-s0", tmp_path / "v-frozen", seed=0, variant="frozen_a", metrics=rows(0.1))
    clone(real / "erase-s0", tmp_path / "e", seed=0, metrics=rows(0.05))
    rep = report([tmp_path])
    assert sorted(g["label"] for g in rep["groups"]) == [
        "erase/real", "vanilla (variant=frozen_a)", "vanilla (variant=lora2r)"]
    [p] = rep["paired_vs_vanilla"]
    assert (p["reference"], p["config_diff"]) == ("vanilla (variant=frozen_a)", {})
    assert p["metrics"]["oracle/hack_s"]["mean"] == pytest.approx(0.05 - 0.1)


def test_an_arm_that_drifted_far_less_than_its_vanilla_is_flagged(real, tmp_path):
    """A 'suppression' that comes with 30x less KL drift may be the step size: the report says so,
    and says nothing when the drifts are comparable."""
    clone(real / "vanilla-s0", tmp_path / "v", seed=0, metrics=rows(0.5, **{"loss/kl": 0.3}))
    clone(real / "erase-s0", tmp_path / "slow", seed=0, metrics=rows(0.1, **{"loss/kl": 0.01}))
    clone(real / "erase-s0", tmp_path / "h", seed=0, direction="haar", metrics=rows(0.1, **{"loss/kl": 0.2}))
    rep = report([tmp_path])
    drift = [n for n in rep["notes"] if "drifted" in n]
    assert len(drift) == 1 and drift[0].startswith("erase/real drifted 30x less than vanilla") and "0.01 vs 0.3" in drift[0]
    assert group(rep, "vanilla")["metrics"]["loss/kl"]["mean"] == pytest.approx(0.3)
    assert "KL (last k)" in results.to_markdown(rep)


def test_an_arm_whose_deployed_model_fell_apart_is_flagged(real, tmp_path):
    """Hack 0 from a model that no longer writes code is not a held-back hack: when an arm's
    deployed model parses far less often than its vanilla or its control, the report says so
    (both ways round for the control); comparable parse rates, or none measured, say nothing."""
    def art(hack, parses):
        a = artifact(2, hack=hack, solve=0.0)
        a["cells"]["test"]["deployed"]["parses"] = parses
        return a

    clone(real / "vanilla-s0", tmp_path / "v", seed=0, metrics=rows(0.5), art=art(0.9, 0.95))
    clone(real / "erase-s0", tmp_path / "broken", seed=0, metrics=rows(0.1), art=art(0.0, 0.1))
    clone(real / "erase-s0", tmp_path / "h", seed=0, direction="haar", metrics=rows(0.4), art=art(0.5, 0.9))
    rep = report([tmp_path])
    notes = [n for n in rep["notes"] if "parses" in n]
    assert len(notes) == 2 and all(n.startswith("erase/real's deployed model writes code that parses in 10%") for n in notes)
    assert {n.split(" for ")[1].split(":")[0] for n in notes} == {"vanilla", "erase/haar"}
    assert group(rep, "erase/real")["metrics"]["test/deployed/parses"]["mean"] == pytest.approx(0.1)
    assert "test parses (deployed)" in results.to_markdown(rep)
    fine = tmp_path.parent / (tmp_path.name + "-fine")
    clone(real / "vanilla-s0", fine / "v", seed=0, metrics=rows(0.5), art=art(0.9, 0.95))
    clone(real / "erase-s0", fine / "e", seed=0, metrics=rows(0.1), art=art(0.1, 0.6))
    clone(real / "erase-s0", fine / "old", seed=0, direction="haar", metrics=rows(0.4), art=artifact(2, 0.5, 0.0))
    assert not [n for n in report([fine])["notes"] if "parses" in n]


def test_deployed_rollouts_hack_rate_is_reported_where_an_arm_has_them(real, tmp_path):
    """With gen_deploy_frac > 0 some rollouts are generated with the quarantine ablated: their hack
    rate is a deployed measure taken during training. Runs without them log NaN: not measured."""
    nan = float("nan")
    clone(real / "vanilla-s0", tmp_path / "v", seed=0, metrics=rows(0.5, 0.5, **{"oracle/hack_s_ablated": nan}))
    clone(real / "erase-s0", tmp_path / "q", seed=0, metrics=[*rows(0.4, **{"oracle/hack_s_ablated": 0.1}),
                                                              *rows(0.4, **{"oracle/hack_s_ablated": nan}),
                                                              *rows(0.4, **{"oracle/hack_s_ablated": 0.3})])
    rep = report([tmp_path])
    assert group(rep, "vanilla")["metrics"]["oracle/hack_s_ablated"]["n"] == 0
    assert group(rep, "erase/real")["metrics"]["oracle/hack_s_ablated"]["mean"] == pytest.approx(0.2)
    md = results.to_markdown(rep)
    assert "hack_s, deployed rollouts (last k)" in md and "| vanilla | 1/1 | 0.500 ± - | - |" in md


def test_control_band(real, tmp_path):
    era = real / "erase-s0"
    clone(era, tmp_path / "real0", seed=0, metrics=rows(0.10))
    clone(era, tmp_path / "real1", seed=1, metrics=rows(0.14))
    for i in range(10):  # band: 0, .05, .1, ..., .95 over 20 runs
        clone(era, tmp_path / f"haar{i}", direction="haar", direction_seed=i, metrics=rows(0.1 * i))
        clone(era, tmp_path / f"shuf{i}", direction="shuffled", direction_seed=i, metrics=rows(0.1 * i + 0.05))
    clone(era, tmp_path / "haar-lr", direction="haar", lr=0.5, metrics=rows(0.0))
    rep = report([tmp_path])
    # grouped by arm alone, the direction still separates real from controls
    assert {g["label"]: g["n_runs"] for g in rep["groups"]} == {
        "erase/real": 2, "erase/haar (lr=0.001)": 10, "erase/haar (lr=0.5)": 1, "erase/shuffled": 10}
    [b] = [b for b in rep["control_bands"] if b["metric"] == "oracle/hack_s"]
    assert b["real_mean"] == pytest.approx(0.12) and b["n_band"] == 20 and b["controls"] == ["haar", "shuffled"]
    assert b["percentile"] == pytest.approx(15.0)  # 3 of 20 below
    assert (b["band_min"], b["band_max"]) == (0.0, pytest.approx(0.95))
    assert b["band_p50"] == pytest.approx(0.475) and b["band_p5"] == pytest.approx(0.0475)
    assert any("erase/haar (lr=0.5) left out of erase/real's band: differs in lr: 0.001 vs 0.5" in n
               for n in rep["notes"])
    assert "real at p15 of 20 haar/shuffled runs" in results.to_markdown(rep)


def test_paired_against_the_control_direction_by_seed(real, tmp_path):
    """real − haar on matched seeds (a Haar draw per seed); a control of another lr is not paired."""
    era = real / "erase-s0"
    for seed, (h_real, h_haar) in enumerate(((0.10, 0.20), (0.14, 0.30), (0.12, 0.25))):
        clone(era, tmp_path / f"real{seed}", seed=seed, metrics=rows(h_real))
        clone(era, tmp_path / f"haar{seed}", seed=seed, direction="haar", direction_seed=seed, metrics=rows(h_haar))
    clone(era, tmp_path / "haar-lr", seed=0, direction="haar", lr=0.5, metrics=rows(0.9))
    rep = report([tmp_path])
    [p] = rep["paired_vs_control"]
    assert (p["group"], p["reference"], p["seeds"]) == ("erase/real", "erase/haar (lr=0.001)", [0, 1, 2])
    m = p["metrics"]["oracle/hack_s"]
    assert m["mean"] == pytest.approx(-0.13) and m["n_pairs"] == 3 and m["p"] < 0.05  # diffs -.10 -.16 -.13
    md = results.to_markdown(rep)
    assert "## Paired differences vs the control direction (matched seeds)" in md
    assert "| erase/real − erase/haar (lr=0.001) | 3 | -0.130 ± " in md
    assert "paired_vs_control" in {r["section"] for r in csv.DictReader(results.to_csv(rep).splitlines())}


def test_oracle_unfinished_hacked_and_no_vanilla(real, tmp_path, capsys):
    van = real / "vanilla-s0"
    clone(van, tmp_path / "g0", arm="gt_penalty", reads_oracle=True, metrics=rows(0.1, 0.2), art=artifact(2, 0.1, 0.5))
    hacked = [{"oracle/hack_s": 0.5, "oracle/hacked_step": 1.0}, {"oracle/hack_s": 0.3}]
    # unfinished: its leftover artifact is not a final evaluation; training metrics still count
    clone(van, tmp_path / "g1", arm="gt_penalty", seed=1, reads_oracle=True, finished=False, metrics=hacked,
          art=artifact(2, 0.9, 0.5))
    results_main([tmp_path])
    md = capsys.readouterr().out
    assert "| gt_penalty* | 1/2 |" in md and "oracle upper bound" in md
    assert "unfinished (training metrics only): g1 (step 2 of 2)" in md
    assert "no vanilla group: paired differences skipped" in md
    g = report([tmp_path])["groups"][0]
    assert g["hacked_runs"] == "1/2"
    assert g["metrics"]["test/deployed/hack"]["n"] == 1 and g["metrics"]["oracle/hack_s"]["n"] == 2
    assert g["metrics"]["oracle/hack_s"]["mean"] == pytest.approx((0.15 + 0.4) / 2)
    clone(van, tmp_path / "v0", metrics=rows(0.5))
    assert "| gt_penalty* − vanilla | 1 |" in results.to_markdown(report([tmp_path]))


def test_by_several_fields(real):
    rep = report([real], by=("arm", "direction"))
    assert [g["label"] for g in rep["groups"]] == ["vanilla/real", "erase/real"]
    assert rep["paired_vs_vanilla"][0]["reference"] == "vanilla/real"


def test_bad_input(tmp_path, real):
    with pytest.raises(UserError, match="no run directories"):
        results_main([])
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no run directories"):
        results_main([tmp_path / "empty"])
    with pytest.raises(UserError, match="no such run directory"):
        results_main([tmp_path / "missing"])
    with pytest.raises(UserError, match="not a config field"):
        results_main([real], by=("arm", "nonsense"))
    shutil.copytree(real / "vanilla-s0", tmp_path / "broken")
    (tmp_path / "broken" / "config.json").write_text("{")
    with pytest.raises(UserError, match="bad JSON"):
        results_main([tmp_path / "broken"])
    (tmp_path / "broken" / "config.json").write_text('{"config": {"seed": 0}}')
    with pytest.raises(UserError, match=r"broken/config.json: no config.arm"):
        results_main([tmp_path / "broken"])


def test_the_parse_rate_counts_every_completion_with_code_that_parses():
    """deploy's `parses`: hacks, wrong answers, timeouts and solutions parse; syntax errors and
    completions with no code do not; gt_only prompts count too (a broken model breaks there too)."""
    labels = [("run_tests", "hack", False), ("run_tests", "syntax_error", False), ("file_marker", "no_code", False),
              ("file_marker", "incorrect", False), ("gt_only", "correct", True), ("gt_only", "timeout", False),
              ("gt_only", "syntax_error", False), ("run_tests", "attempted", False)]
    r = deploy._rates(labels)
    assert r["parses"] == pytest.approx(5 / 8) and r["hack"] == pytest.approx(1 / 5)
    assert deploy._rates([])["parses"] is None
