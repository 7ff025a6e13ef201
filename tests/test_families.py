"""`pgrpo results --primary`: Holm-Bonferroni against a hand-computed example, the primary metric
first and unadjusted, the secondary ones adjusted within each family, in md, csv and json."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest

from projected_grpo.analysis import results
from projected_grpo.analysis.runs import find_runs
from projected_grpo.analysis.stats import holm, paired_t
from projected_grpo.cli import main
from projected_grpo.train.config import preset
from trainer_helpers import fake_run


def test_holm_by_hand():
    # sorted: .005 .01 .03 .04 -> x4 x3 x2 x1 = .02 .03 .06 .04 -> running max .02 .03 .06 .06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # None is no test and does not count toward m (m = 2 here); adjusted p is capped at 1
    assert holm([0.3, None, 0.8]) == [pytest.approx(0.6), None, pytest.approx(0.8)]
    assert holm([0.7, 0.6]) == [1.0, 1.0]
    assert holm([]) == []


# per seed: (vanilla, erase) values of hack_s_hackable (primary), hack_s, solve_s, KL
VALUES = {0: ((0.5, 0.2), (0.5, 0.4), (0.30, 0.35), (0.010, 0.008)),
          1: ((0.6, 0.4), (0.6, 0.4), (0.20, 0.30), (0.012, 0.011)),
          2: ((0.7, 0.3), (0.7, 0.4), (0.25, 0.27), (0.011, 0.007))}
KEYS = ("oracle/hack_s_hackable", "oracle/hack_s", "oracle/solve_s", "loss/kl")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("families") / "runs"
    for arm, side in (("vanilla", 0), ("erase", 1)):
        for seed, vals in VALUES.items():
            cfg = preset("smoke", arm, out=root, seed=seed)
            fake_run(cfg, [{k: v[side] for k, v in zip(KEYS, vals)}])
    return root


def test_primary_first_unadjusted_and_secondary_holm(runs, tmp_path, capsys):
    assert results.results_main([runs], out=tmp_path, primary="oracle/hack_s_hackable") == 0
    md = capsys.readouterr().out
    rep = json.loads((tmp_path / "results.json").read_text())
    [p] = rep["paired_vs_vanilla"]
    raw = {k: paired_t([VALUES[s][i][1] for s in VALUES], [VALUES[s][i][0] for s in VALUES]).p
           for i, k in enumerate(KEYS)}
    prim = p["metrics"]["oracle/hack_s_hackable"]
    assert prim["role"] == "primary" and prim["p"] == pytest.approx(raw["oracle/hack_s_hackable"])
    assert prim["p_holm"] is None
    # the family: the three secondary metrics with a p-value (hack_s, solve_s, KL): m = 3
    assert rep["holm_family_size"] == {"paired_vs_vanilla": 3, "paired_vs_control": 0}
    adj = holm([raw[k] for k in KEYS[1:]])
    for k, a in zip(KEYS[1:], adj):
        assert p["metrics"][k]["role"] == "secondary" and p["metrics"][k]["p_holm"] == pytest.approx(a)
    assert p["metrics"]["test/deployed/hack"]["p_holm"] is None  # no test: no value
    assert p["metrics"]["rollout/reward_s"]["role"] == "other"  # tested, not shown: in no family
    # markdown: the primary column first, raw p; the secondary cells show raw and Holm side by side
    head = next(line for line in md.splitlines() if line.startswith("| group − vanilla"))
    assert head.startswith("| group − vanilla | n_pairs | oracle/hack_s_hackable [primary] | hack_s (last k) |")
    row = next(line for line in md.splitlines() if line.startswith("| erase/real − vanilla"))
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[2].endswith(f"p={raw['oracle/hack_s_hackable']:.3f}") and "Holm" not in cells[2]
    assert cells[3].endswith(f"p={raw['oracle/hack_s']:.3f} (Holm {adj[0]:.3f})")
    assert "primary metric: oracle/hack_s_hackable" in md
    table = list(csv.DictReader((tmp_path / "results.csv").open()))
    row = next(r for r in table if r["section"] == "paired_vs_vanilla" and r["metric"] == "oracle/solve_s")
    assert row["role"] == "secondary" and float(row["p_holm"]) == pytest.approx(adj[1])
    assert float(row["p"]) == pytest.approx(raw["oracle/solve_s"])


def test_without_primary_every_shown_metric_is_secondary(runs):
    rep = results.build_report(find_runs([runs]), ("arm",), 5)
    [p] = rep["paired_vs_vanilla"]
    assert rep["primary"] is None and p["metrics"]["oracle/hack_s"]["role"] == "secondary"
    assert rep["holm_family_size"]["paired_vs_vanilla"] == 3  # hack_s, solve_s, KL


def test_families_are_separate(tmp_path):
    """vs vanilla and vs control are corrected apart: a control test does not inflate m of the other."""
    root = tmp_path / "runs"
    for seed, (v, r, h) in enumerate(((0.5, 0.1, 0.3), (0.6, 0.3, 0.4), (0.7, 0.2, 0.6))):
        fake_run(preset("smoke", "vanilla", out=root, seed=seed), [{"oracle/hack_s": v}])
        base = preset("smoke", "erase", out=root, seed=seed)
        fake_run(base, [{"oracle/hack_s": r}])
        fake_run(dataclasses.replace(base, direction="haar", direction_seed=seed), [{"oracle/hack_s": h}])
    rep = results.build_report(find_runs([root]), ("arm",), 5)
    assert rep["holm_family_size"] == {"paired_vs_vanilla": 2, "paired_vs_control": 1}
    [c] = rep["paired_vs_control"]
    assert c["metrics"]["oracle/hack_s"]["p_holm"] == pytest.approx(c["metrics"]["oracle/hack_s"]["p"])  # m = 1


def test_unknown_primary_is_one_line_and_exit_2(runs, capsys):
    assert main(["results", str(runs), "--primary", "oracle/nonsense"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: results: --primary oracle/nonsense: unknown metric")


def test_detectable_difference_is_detected_80_percent_of_the_time():
    """The detectable difference means what it says: simulated pairs whose true mean difference is
    detectable(sd, n) are rejected by the paired t-test about 80% of the time (5% at no effect),
    and pairs_needed is the first n whose detectable difference reaches delta."""
    import random

    from projected_grpo.analysis.stats import detectable, pairs_needed

    rng = random.Random(0)
    for n in (5, 10):
        delta = detectable(0.3, n)

        def rejects(mu: float) -> float:
            hits = 0
            for _ in range(1500):
                d = [rng.gauss(mu, 0.3) for _ in range(n)]
                hits += paired_t(d, [0.0] * n).p < 0.05
            return hits / 1500

        assert rejects(delta) == pytest.approx(0.80, abs=0.035), n
        assert rejects(0.0) == pytest.approx(0.05, abs=0.02), n
    need = pairs_needed(0.3, 0.15)
    assert detectable(0.3, need) <= 0.15 < detectable(0.3, need - 1)
    assert pairs_needed(0.3, 0.0) is None and detectable(0.3, 1) is None


def test_power_of_the_primary_comparison(runs, capsys):
    """With --primary, each primary paired comparison reports the difference its pairs detect with
    80% power and the pairs the observed difference would need, from its sd of differences."""
    from projected_grpo.analysis.stats import detectable, pairs_needed

    assert main(["results", str(runs), "--primary", "oracle/hack_s_hackable"]) == 0
    md = capsys.readouterr().out
    d = [VALUES[s][0][1] - VALUES[s][0][0] for s in VALUES]  # erase − vanilla: -.3 -.2 -.4
    mean = sum(d) / 3
    sd = (sum((x - mean) ** 2 for x in d) / 2) ** 0.5
    power = md.split("## Power of the primary comparisons (oracle/hack_s_hackable)")[1]
    row = next(line for line in power.splitlines() if line.startswith("| erase/real − vanilla | 3 | -0.300 |"))
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[3:] == [f"{sd:.3f}", f"{detectable(sd, 3):.3f}", str(pairs_needed(sd, mean))]
    assert main(["results", str(runs)]) == 0 and "## Power" not in capsys.readouterr().out  # no primary: none
