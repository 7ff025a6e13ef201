"""Which problems a run trains and evaluates on: a `pgrpo data build` folder gives its train and
test splits (never merged), the default held-out split does not move with --seed, and the
`full` preset trains on the filtered `data build` output (or says how to make it)."""

from __future__ import annotations

import json

import pytest

from projected_grpo.env.problems import save_jsonl
from projected_grpo.errors import UserError
from projected_grpo.train import setup
from projected_grpo.train.config import LEETCODE_BUILD, preset
from trainer_helpers import short_problems


def ids(problems) -> list[str]:
    return sorted(p.id for p in problems)


def test_held_out_split_is_the_same_for_every_seed(tmp_path):
    many = tmp_path / "many.jsonl"
    save_jsonl(short_problems(40), many)
    splits = [setup.problems(preset("smoke", problems=str(many), seed=seed)) for seed in (0, 1, 7)]
    assert all(ids(held) == ids(splits[0][1]) for _, held in splits)
    assert all(ids(train) == ids(splits[0][0]) for train, _ in splits)
    assert 0 < len(splits[0][1]) < 40


def data_build_folder(path):
    problems = short_problems(9)
    path.mkdir()
    for name, part in (("train", problems[:5]), ("holdout", problems[5:7]), ("test", problems[7:])):
        save_jsonl(part, path / f"{name}.jsonl")
    (path / "manifest.json").write_text(json.dumps({"splits": {}}))
    return problems


def test_a_data_build_folder_gives_its_train_and_test_splits(tmp_path, capsys):
    problems = data_build_folder(tmp_path / "built")
    train, held = setup.problems(preset("smoke", problems=str(tmp_path / "built")))
    assert ids(train) == ids(problems[:5]) and ids(held) == ids(problems[7:])  # holdout.jsonl unused
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "train.jsonl" in err and "test.jsonl" in err
    _, held = setup.problems(preset("smoke", problems=str(tmp_path / "built" / "train.jsonl"),
                                    eval_problems=str(tmp_path / "built")))
    assert ids(held) == ids(problems[7:])


def test_full_preset_needs_the_data_build_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = preset("full")
    assert cfg.problems == LEETCODE_BUILD and not cfg.eval_problems
    with pytest.raises(UserError, match="run `pgrpo data build --source hf:newfacade/LeetCodeDataset:train"):
        setup.problems(cfg)
    (tmp_path / LEETCODE_BUILD).parent.mkdir(parents=True)
    problems = data_build_folder(tmp_path / LEETCODE_BUILD)
    train, held = setup.problems(cfg)
    assert ids(train) == ids(problems[:5]) and ids(held) == ids(problems[7:])
