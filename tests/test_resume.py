"""Crash recovery and run extension: a run killed before its first checkpoint, --overwrite,
--resume --steps N on a finished run (and what the lr schedule does then), and --wandb."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import types

import pytest

from projected_grpo.cli import main
from projected_grpo.errors import UserError
from projected_grpo.train.optim import lr_factor
from projected_grpo.train.runlog import RunLog, read_jsonl
from projected_grpo.train.trainer import Trainer
from trainer_helpers import small_cfg


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return tmp_path_factory.mktemp("resume")


def steps_of(run_dir) -> list[int]:
    return [r["step"] for r in read_jsonl(run_dir / "metrics.jsonl")]


def test_a_run_killed_before_its_first_checkpoint_restarts_on_resume(shared, capsys):
    cfg = small_cfg(shared, steps=2, run_name="killed")
    Trainer(dataclasses.replace(cfg, stop_at=1), quiet=True).run()
    shutil.rmtree(cfg.run_dir() / "checkpoints")  # as if killed after step 1, before any checkpoint
    with pytest.raises(UserError, match="--overwrite"):
        Trainer(cfg, quiet=True)
    capsys.readouterr()
    Trainer.resume(cfg.run_dir()).run()
    out = capsys.readouterr()
    assert "no checkpoint" in out.out and "starting it again from step 1" in out.out
    assert "train:" not in out.err  # no progress bar without a terminal
    assert steps_of(cfg.run_dir()) == [1, 2] and (cfg.run_dir() / "summary.json").exists()


def test_overwrite_starts_a_run_again(shared, capsys):
    cfg = small_cfg(shared, steps=1, run_name="again")
    Trainer(cfg, quiet=True).run()
    marker = cfg.run_dir() / "stale-file"
    marker.write_text("x")
    Trainer(dataclasses.replace(cfg, overwrite=True), quiet=True).run()
    assert "--overwrite: deleted" in capsys.readouterr().out
    assert steps_of(cfg.run_dir()) == [1] and not marker.exists()


def test_resume_with_more_steps_extends_a_finished_run(shared, capsys):
    cfg = small_cfg(shared, steps=2, run_name="extend", warmup_steps=1)
    Trainer(cfg, quiet=True).run()
    run = cfg.run_dir()
    assert main(["train", "--resume", str(run)]) == 2  # finished: nothing to do
    assert "extend it with" in capsys.readouterr().err
    with pytest.raises(UserError, match="can only extend"):
        Trainer.resume(run, steps=1)
    Trainer.resume(run, steps=3, quiet=False, show_legend=False).run()
    out = capsys.readouterr().out
    assert "--steps 2 -> 3" in out and "cosine lr recomputed over 3 steps" in out
    rows = read_jsonl(run / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2, 3]
    assert rows[2]["optim/lr"] == pytest.approx(cfg.lr * lr_factor(2, 1, 3))  # the new schedule, not 0
    assert rows[1]["optim/lr"] == pytest.approx(cfg.lr * lr_factor(1, 1, 2))  # the old steps are untouched
    assert (run / "final-adapter-step-2" / "adapter.safetensors").exists() and (run / "summary-step-2.json").exists()
    assert (run / "summary.json").exists() and (run / "final-adapter" / "adapter.safetensors").exists()


class FakeRun:
    def __init__(self, calls):
        self.calls = calls

    def log(self, row, step):
        self.calls.append(("log", step, row))

    def finish(self):
        self.calls.append(("finish",))


def test_wandb_logs_beside_tensorboard_with_a_fake_module(tmp_path, monkeypatch):
    calls = []
    fake = types.ModuleType("wandb")
    fake.util = types.SimpleNamespace(generate_id=lambda: "abc123")
    fake.init = lambda **kw: calls.append(("init", kw)) or FakeRun(calls)
    monkeypatch.setitem(sys.modules, "wandb", fake)
    monkeypatch.setenv("WANDB_MODE", "offline")
    log = RunLog(tmp_path / "run", tensorboard=False, log_rollouts=False, quiet=True, wandb=True)
    log.write_config({"arm": "vanilla"}, {})
    log.step({"step": 1, "rollout/reward": 0.5, "run/reads_oracle": False, "loss/total": float("nan")}, [])
    log.close()
    init = calls[0][1]
    assert init["id"] == "abc123" and init["resume"] == "allow" and init["config"] == {"arm": "vanilla"}
    assert "mode" not in init  # WANDB_MODE decides (offline here)
    assert calls[1] == ("log", 1, {"rollout/reward": 0.5}) and calls[2] == ("finish",)
    assert (tmp_path / "run" / "wandb-id").read_text().strip() == "abc123"


def test_wandb_without_the_package_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "wandb", None)  # import wandb raises ImportError
    assert main(["train", "--wandb"]) == 2
    assert "--wandb needs the wandb package" in capsys.readouterr().err


def test_resuming_a_run_from_before_the_seed_independent_split_warns(tmp_path):
    from projected_grpo.train.config import preset
    from projected_grpo.train.resume import plan

    cfg = preset("smoke", out=tmp_path, run_name="old")
    saved = cfg.to_dict()
    del saved["overwrite"], saved["wandb"]  # written before these fields (and the id-only split) existed
    cfg.run_dir().mkdir(parents=True)
    (cfg.run_dir() / "config.json").write_text(json.dumps({"config": saved}))
    _, notes = plan(cfg.run_dir())
    assert any("held-out split stopped depending on --seed" in n for n in notes)
    saved["overwrite"] = False
    (cfg.run_dir() / "config.json").write_text(json.dumps({"config": saved}))
    assert not any("held-out split" in n for n in plan(cfg.run_dir())[1])
