"""`pgrpo relearn`: vanilla GRPO from a run's deployed adapter (quarantine reset, deployed block
as trained), steps to the hack target, relearn.json, the results table and bad input."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from projected_grpo.analysis import relearn as rl
from projected_grpo.analysis import results
from projected_grpo.analysis.runs import find_runs, load_run
from projected_grpo.cli import main
from projected_grpo.errors import UserError
from projected_grpo.train import setup
from projected_grpo.train.config import TrainConfig, preset
from projected_grpo.train.trainer import Trainer
from trainer_helpers import fake_run, small_cfg


def test_steps_to_target():
    pts = [(1, 0.0), (2, 0.1), (4, 0.4), (5, 0.2)]  # step 3 measured nothing (no hackable prompt)
    assert rl.steps_to(pts, 0.3) == 4
    assert rl.steps_to(pts, 0.25, window=2) == 4  # (0.1 + 0.4) / 2
    assert rl.steps_to(pts, 0.3, window=3) is None  # trailing 3: .167, .233
    assert rl.steps_to(pts, 0.0) == 1 and rl.steps_to([], 0.1) is None
    rows = [{"step": 1, rl.METRIC: 0.9}, {"step": 2, rl.METRIC: None}, *({"step": s, rl.METRIC: 0.1 * s} for s in range(3, 8))]
    assert rl.final_rate(rows) == pytest.approx(0.5)  # last 5 measured: .3 .4 .5 .6 .7


@pytest.fixture(scope="module")
def relearned(tmp_path_factory):
    """routeA trained 2 steps; a (constructed) vanilla run whose final hack rate is the target;
    the routeA run relearned for 2 steps."""
    tmp = tmp_path_factory.mktemp("relearn")
    cfg = small_cfg(tmp, "routeA", steps=2, run_name="src", refresh_every=0)
    Trainer(cfg, quiet=True).run()
    van = fake_run(small_cfg(tmp, "vanilla", steps=2, run_name="van"), [{rl.METRIC: 0.1}, {rl.METRIC: 0.3}])
    rl.relearn(cfg.run_dir(), steps=2, out=tmp / "with-teachers", vanilla=van, quiet=True, teachers="run")
    summary = rl.relearn(cfg.run_dir(), steps=2, vanilla=van, quiet=True)  # last: RUN_DIR/relearn.json is its
    return cfg, van, summary


def test_relearn_samples_only_the_model_unless_asked_for_the_runs_teachers(relearned):
    """By default the relearn's groups hold the deployed model's own samples only (on SmolLM2 the
    run's teacher rows broke vanilla's own deployed model: docs/organism-pretrained.md, wave 2);
    --teachers run keeps the run's teacher schedule."""
    cfg, _, summary = relearned
    teachers = lambda d: [r["rollout/n_teacher"] for r in load_run(d).metrics]  # noqa: E731
    assert teachers(cfg.run_dir()) == [2, 2]  # the source run had teacher rows on both steps
    assert teachers(cfg.run_dir() / "relearn") == [0, 0] and summary["teachers"] == "none"
    assert teachers(cfg.run_dir().parent.parent / "with-teachers") == [2, 2]
    with_teachers = json.loads((cfg.run_dir().parent.parent / "with-teachers" / "relearn.json").read_text())
    assert with_teachers["teachers"] == "run" and "the run's teacher rows" in rl.describe(with_teachers)


def test_relearn_starts_from_the_deployed_adapter(relearned):
    cfg, _, summary = relearned
    out = cfg.run_dir() / "relearn"
    rcfg = TrainConfig.from_dict(json.loads((out / "config.json").read_text())["config"])
    assert (rcfg.arm, rcfg.adapter_variant, rcfg.steps, rcfg.seed) == ("vanilla", "lora2r", 2, cfg.seed)
    assert rcfg.init_adapter == str(cfg.run_dir() / "final-adapter") and rcfg.gen_deploy_frac == 0.0
    from safetensors.torch import load_file

    trained = load_file(str(cfg.run_dir() / "final-adapter" / "adapter.safetensors"))
    model, tok, _ = setup.load(rcfg)
    adapter = setup.attach_adapter(rcfg, model, tok)  # the relearn run's state before its step 1
    moved = 0
    for n, m in adapter.modules.items():
        for k, p in m.block_params("dep").items():
            assert torch.equal(p.detach(), trained[f"{n}.{k}"]), (n, k)  # the deployed block as trained
        for k, p in m.block_params("quar").items():
            assert torch.equal(p.detach(), m.init_value(k)), (n, k)  # the quarantine at init
            moved += not torch.equal(trained[f"{n}.{k}"], m.init_value(k))
    assert moved > 0  # routeA did train its quarantine: the reset above is not vacuous


def test_relearn_summary(relearned):
    cfg, van, s = relearned
    on_disk = json.loads((cfg.run_dir() / "relearn" / "relearn.json").read_text())
    assert on_disk == json.loads((cfg.run_dir() / "relearn.json").read_text()) == s
    assert s["target_hack"] == pytest.approx(0.2) and s["target_from"] == "vanilla" and s["vanilla_run"] == str(van)
    assert (s["source_arm"], s["steps"], s["metric"]) == ("routeA", 2, "oracle/hack_s_hackable")
    assert [p[0] for p in s["curve"]] == [1, 2] and all(v == 0.0 for _, v in s["curve"])  # the tiny model never hacks
    assert s["reached"] is False and s["relearn_steps"] is None
    assert "did not reach 0.200 in 2 steps" in rl.describe(s)
    assert load_run(cfg.run_dir() / "relearn").finished


def test_results_show_relearn_steps(tmp_path):
    root, dirs = tmp_path / "runs", []
    for seed, steps in enumerate((12, None, 20)):
        d = fake_run(preset("smoke", "routeA", out=root, seed=seed), [{"oracle/hack_s": 0.1}])
        (d / "relearn.json").write_text(json.dumps({"relearn_steps": steps, "reached": steps is not None,
                                                    "steps": 30, "target_hack": 0.4, "teachers": "none"}))
        dirs.append(d)
    v = fake_run(preset("smoke", "vanilla", out=root), [{"oracle/hack_s": 0.5}])
    # a relearn run's own copy of relearn.json describes its source, not itself: not counted
    (v / "relearn.json").write_text(json.dumps({"relearn_dir": str(v), "relearn_steps": 3, "reached": True,
                                                "steps": 30, "target_hack": 0.4}))
    rep = results.build_report(find_runs([root]), ("arm",), 5)
    [r] = rep["relearn"]
    assert (r["group"], r["n"], r["n_reached"], r["mean"]) == ("routeA/real", 3, 2, 16.0)
    md = results.to_markdown(rep)
    assert "## Relearning resistance" in md and "| routeA/real | 3 | 2/3 | 16.0 ± 50.8 | 12, >30, 20 | 0.400 |" in md
    assert "relearn" in {row.split(",")[0] for row in results.to_csv(rep).splitlines()}
    # a relearn with the run's teacher rows (or from before --teachers, which had them) says so
    (dirs[2] / "relearn.json").write_text(json.dumps({"relearn_steps": 20, "reached": True,
                                                          "steps": 30, "target_hack": 0.4}))
    md = results.to_markdown(results.build_report(find_runs([root]), ("arm",), 5))
    assert "| routeA/real (teacher rows: none, run) | 3 | 2/3 |" in md


def test_bad_input(relearned, tmp_path, capsys):
    cfg, van, _ = relearned
    assert main(["relearn", str(tmp_path), "--steps", "2", "--target-hack", "0.5"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not a run directory" in err
    unfinished = fake_run(dataclasses.replace(cfg, run_name="unfinished"), [{rl.METRIC: 0.0}], finished=False)
    with pytest.raises(UserError, match="no final-adapter"):
        rl.relearn(unfinished, steps=2, target_hack=0.5)
    with pytest.raises(UserError, match="one of them"):
        rl.relearn(cfg.run_dir(), steps=2)
    with pytest.raises(UserError, match="one of them"):
        rl.relearn(cfg.run_dir(), steps=2, vanilla=van, target_hack=0.5)
    with pytest.raises(UserError, match="not vanilla"):
        rl.relearn(cfg.run_dir(), steps=2, vanilla=cfg.run_dir())
    with pytest.raises(UserError, match="--eval-samples must be >= 0"):
        rl.relearn(cfg.run_dir(), steps=2, target_hack=0.5, eval_samples=-1)
    with pytest.raises(UserError, match="already holds a run"):  # the default relearn dir is taken
        rl.relearn(cfg.run_dir(), steps=2, target_hack=0.5, quiet=True)


def test_relearn_on_the_smollm2_organism_repeats_its_recipe_as_vanilla(tmp_path):
    """The preregistration's relearn (amended after wave 2): a deployed arm model continues under
    the organism's own recipe (ρ·k3, lr, KL, the arm's adapter) as vanilla, on its own samples:
    no teacher rows unless --teachers run asks for the run's steps 6-15."""
    cfg = preset("smollm2", "routeA", out=tmp_path, model=str(tmp_path / "org"), seed=3)
    run = load_run(fake_run(cfg, [{rl.METRIC: 0.1}]))
    re = rl.relearn_config(run, 30, tmp_path / "re")
    assert (re.arm, re.steps, re.seed, re.adapter_variant) == ("vanilla", 30, 3, cfg.adapter_variant)
    assert not any(re.teachers_at(k) for k in range(1, 31)) and re.n_teachers == 0
    assert (re.kl_estimator, re.lr, re.kl_coef) == ("k3_unbiased", cfg.lr, cfg.kl_coef)
    taught = rl.relearn_config(run, 30, tmp_path / "re", teachers="run")
    assert [taught.teachers_at(k) for k in (5, 6, 15, 16)] == [False, True, True, False] and taught.n_teachers == 2
    assert re.init_adapter == str(run.dir / "final-adapter")
    assert (cfg.eval_samples, re.eval_samples, re.eval_every) == (16, 0, 0)  # the curve is the measure
    assert rl.relearn_config(run, 30, tmp_path / "re", eval_samples=4).eval_samples == 4
